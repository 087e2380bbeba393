package dev.hypr.api.compose;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose durations, Go syntax: {@code 1m30s}, {@code 10s}, {@code 1.5h}, {@code 500ms}, {@code 2us}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the accepted form */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (e.g. 30s, 1m30s, 500ms)");
        }
        return Duration.ofNanos((long) nanos);
    }

    /** Whole seconds, rounded up, at least {@code min}. */
    static int seconds(Duration d, int min) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.max(min, Math.min(Integer.MAX_VALUE, s));
    }
}
