package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's {@code HEALTHCHECK} (its config's {@code Healthcheck}): test is
 * {@code ["CMD", argv...]}, {@code ["CMD-SHELL", "line"]} or {@code ["NONE"]}; durations are
 * nanoseconds, 0 meaning docker's default.
 */
public record ImageHealthcheck(List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos,
                               long startIntervalNanos, int retries) {
    public ImageHealthcheck {
        test = List.copyOf(test);
    }

    /** null when the config has none. */
    static ImageHealthcheck parse(JsonNode h) {
        if (!h.isObject() || !h.path("Test").isArray() || h.path("Test").isEmpty()) {
            return null;
        }
        List<String> test = new ArrayList<>();
        h.path("Test").forEach(t -> test.add(t.asText()));
        return new ImageHealthcheck(test, h.path("Interval").asLong(0), h.path("Timeout").asLong(0),
                h.path("StartPeriod").asLong(0), h.path("StartInterval").asLong(0), h.path("Retries").asInt(0));
    }
}
