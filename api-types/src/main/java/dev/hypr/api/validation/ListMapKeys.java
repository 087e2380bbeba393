package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enforces {@code x-kubernetes-list-type: map}: items of such a list are identified by their
 * {@code x-kubernetes-list-map-keys}, so two items with the same key are an error (two env
 * variables named PATH, two volumes named data).
 */
final class ListMapKeys {
    private ListMapKeys() {
    }

    static void check(JsonNode schema, Manifest m, String pointer, List<ManifestError> errors) {
        JsonNode value = m.object().at(pointer);
        if (value.isObject()) {
            schema.path("properties").fields().forEachRemaining(p -> {
                if (value.has(p.getKey())) {
                    check(p.getValue(), m, JsonPointers.child(pointer, p.getKey()), errors);
                }
            });
        } else if (value.isArray()) {
            if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
                uniqueKeys(schema.path("x-kubernetes-list-map-keys"), m, pointer, errors);
            }
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), m, JsonPointers.child(pointer, i), errors);
            }
        }
    }

    private static void uniqueKeys(JsonNode keyFields, Manifest m, String pointer, List<ManifestError> errors) {
        Map<List<String>, Integer> seen = new HashMap<>();
        JsonNode items = m.object().at(pointer);
        for (int i = 0; i < items.size(); i++) {
            List<String> key = new ArrayList<>();
            for (JsonNode field : keyFields) {
                key.add(items.get(i).path(field.asText()).asText());
            }
            Integer first = seen.putIfAbsent(key, i);
            if (first != null) {
                String firstField = keyFields.get(0).asText();
                errors.add(m.errorAt(JsonPointers.child(JsonPointers.child(pointer, i), firstField),
                        "duplicate " + firstField + " \"" + String.join("/", key) + "\", already used by "
                                + JsonPointers.toFieldPath(JsonPointers.child(pointer, first))));
            }
        }
    }
}
