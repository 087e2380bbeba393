package dev.hypr.api.compose;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose sizes: bytes as a number, or a number with b, k, m, g (optionally followed by b), binary multiples. */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmgt]?)b?");

    private ByteSizes() {
    }

    /** @throws IllegalArgumentException naming the accepted form */
    static double bytes(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + text + "\" (e.g. 512m, 1.5g, 1073741824)");
        }
        double n = Double.parseDouble(m.group(1));
        int power = "bkmgt".indexOf(m.group(2).isEmpty() ? "b" : m.group(2));
        return n * Math.pow(1024, power);
    }

    /** The size in MiB, rounded up. */
    static long mebibytes(String text) {
        return (long) Math.ceil(bytes(text) / (1024 * 1024));
    }
}
