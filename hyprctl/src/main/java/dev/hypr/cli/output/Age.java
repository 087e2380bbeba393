package dev.hypr.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** kubectl's short human durations: {@code 5s}, {@code 3m}, {@code 2h}, {@code 4d}, {@code 2y}. */
public final class Age {
    private Age() {
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s < 0) {
            return "0s";
        }
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 24) {
            return h + "h";
        }
        long days = h / 24;
        if (days < 365) {
            return days + "d";
        }
        return days / 365 + "y";
    }

    /** Age of an RFC 3339 timestamp, or {@code <unknown>} when it is absent or malformed. */
    public static String since(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return format(Duration.between(Instant.parse(timestamp), now));
        } catch (DateTimeParseException e) {
            try {
                return format(Duration.between(java.time.OffsetDateTime.parse(timestamp).toInstant(), now));
            } catch (DateTimeParseException e2) {
                return "<unknown>";
            }
        }
    }
}
