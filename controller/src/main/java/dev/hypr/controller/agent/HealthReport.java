package dev.hypr.controller.agent;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One probe result from Kestrel's HEALTH frame (guest/PROTOCOL.md, 5). status is the health
 * after this result; exitCode is the exec probe's exit status (0/1 for socket probes, -1 when
 * it timed out); failures counts consecutive failures that counted (not those in the start
 * period); output is the probe's output, at most 4 KiB.
 */
public record HealthReport(Status status, Result result, int exitCode, int failures, boolean inStartPeriod, String output) {
    public enum Status { STARTING, HEALTHY, UNHEALTHY }

    public enum Result { PASS, FAIL, TIMEOUT }

    public static HealthReport parse(byte[] payload) {
        Map<String, String> kv = KeyValueText.parse(payload).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
        return new HealthReport(status(kv.getOrDefault("status", "starting")),
                switch (kv.getOrDefault("result", "fail")) {
                    case "pass" -> Result.PASS;
                    case "timeout" -> Result.TIMEOUT;
                    default -> Result.FAIL;
                },
                number(kv.get("exit"), 1), number(kv.get("failures"), 0), "1".equals(kv.get("start_period")),
                kv.getOrDefault("output", ""));
    }

    /** A status word of HEALTH or HELLO ({@code none} and unknown words read as starting). */
    public static Status status(String word) {
        return switch (word) {
            case "healthy" -> Status.HEALTHY;
            case "unhealthy" -> Status.UNHEALTHY;
            default -> Status.STARTING;
        };
    }

    private static int number(String text, int otherwise) {
        try {
            return text == null ? otherwise : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
