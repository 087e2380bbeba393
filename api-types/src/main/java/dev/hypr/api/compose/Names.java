package dev.hypr.api.compose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names: compose's project-name normalisation, and compose names (which may hold {@code _},
 * {@code .} and upper case) mapped to DNS-1123 labels deterministically.
 */
final class Names {
    static final int MAX_OBJECT_NAME = 63;

    private Names() {
    }

    /** Compose's rule: lower case, only [a-z0-9_-], starting with a letter or digit. */
    static String projectName(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        return lower.replaceFirst("^[_-]+", "");
    }

    /**
     * A DNS-1123 label for a compose name: lower case, runs of other characters become one '-',
     * no '-' at either end. Too long a name is cut and suffixed with a hash of the original so two
     * long names stay distinct.
     */
    static String label(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > MAX_OBJECT_NAME) {
            String hash = hash(raw).substring(0, 8);
            s = s.substring(0, MAX_OBJECT_NAME - 9).replaceAll("-+$", "") + "-" + hash;
        }
        return s;
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
