package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Kubernetes condition bookkeeping on a status object: one entry per type, and
 * lastTransitionTime moves only when the condition's status flips.
 */
public final class Conditions {
    private Conditions() {
    }

    public static void set(ObjectNode status, String type, boolean value, String reason, String message,
            long observedGeneration, Instant now) {
        set(status, type, value ? "True" : "False", reason, message, observedGeneration, now);
    }

    public static void set(ObjectNode status, String type, String value, String reason, String message,
            long observedGeneration, Instant now) {
        ArrayNode list = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions")
                : status.putArray("conditions");
        ObjectNode existing = null;
        for (JsonNode c : list) {
            if (type.equals(c.path("type").asText())) {
                existing = (ObjectNode) c;
            }
        }
        String transition = existing != null && value.equals(existing.path("status").asText())
                ? existing.path("lastTransitionTime").asText()
                : now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode c = existing != null ? existing : list.addObject();
        c.put("type", type);
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message == null ? "" : message);
        c.put("lastTransitionTime", transition);
        c.put("observedGeneration", observedGeneration);
    }

    /** Removes the condition of {@code type}, if any (and the list, once empty). */
    public static void remove(ObjectNode status, String type) {
        if (!(status.get("conditions") instanceof ArrayNode list)) {
            return;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            if (type.equals(list.get(i).path("type").asText())) {
                list.remove(i);
            }
        }
        if (list.isEmpty()) {
            status.remove("conditions");
        }
    }

    public static Optional<JsonNode> get(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public static boolean isTrue(JsonNode status, String type) {
        return get(status, type).map(c -> "True".equals(c.path("status").asText())).orElse(false);
    }
}
