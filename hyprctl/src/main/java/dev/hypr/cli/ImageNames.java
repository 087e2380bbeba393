package dev.hypr.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Image object {@code hyprctl images pull REF} creates is named after the reference, so
 * pulling the same reference twice finds the same object: lower-cased, every run of characters
 * outside {@code [a-z0-9]} becomes one '-' ({@code 127.0.0.1:5000/test/app:v1} →
 * {@code 127-0-0-1-5000-test-app-v1}). Names longer than a DNS-1123 label (63) keep their first
 * 52 characters plus '-' and 10 hex digits of the reference's SHA-256, so digests stay unique.
 */
public final class ImageNames {
    static final int MAX = 63;

    private ImageNames() {
    }

    public static String forRef(String ref) {
        String name = ref.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.isEmpty()) {
            throw new CliException("\"" + ref + "\" is not an image reference");
        }
        if (name.length() <= MAX) {
            return name;
        }
        return name.substring(0, 52).replaceAll("-+$", "") + "-" + sha256(ref).substring(0, 10);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
