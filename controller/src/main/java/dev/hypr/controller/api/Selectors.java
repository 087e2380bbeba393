package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.LabelSelector;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Turns a label selector string into a filter over stored objects. */
final class Selectors {
    private Selectors() {
    }

    /** null when the selector is empty (no filtering). */
    static Predicate<ObjectNode> labelFilter(String selector) {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        LabelSelector parsed;
        try {
            parsed = LabelSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalid(e.getMessage());
        }
        return o -> parsed.matches(labels(o));
    }

    static Map<String, String> labels(ObjectNode o) {
        Map<String, String> out = new HashMap<>();
        o.path("metadata").path("labels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
