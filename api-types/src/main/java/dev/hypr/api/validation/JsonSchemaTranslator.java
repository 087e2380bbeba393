package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Kubernetes structural {@code openAPIV3Schema} into a draft-4 JSON Schema with the
 * semantics the API server gives it: an object keeps only the fields its schema names (the server
 * prunes the rest; hypr rejects them instead), unless it says {@code x-kubernetes-preserve-unknown-fields}.
 */
final class JsonSchemaTranslator {
    static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";
    static final String INT_OR_STRING = "x-kubernetes-int-or-string";

    /** Sub-schema keywords to recurse into, by how they hold schemas. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "not");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf");
    /** OpenAPI-only keywords draft 4 does not know; formats like int64 are Kubernetes', not JSON Schema's. */
    private static final Set<String> DROPPED = Set.of("nullable", "format", "example", "externalDocs");

    private JsonSchemaTranslator() {
    }

    static ObjectNode translate(JsonNode openApi) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.startsWith("x-kubernetes-") || DROPPED.contains(key)) {
                continue;
            }
            out.set(key, translateKeyword(key, e.getValue()));
        }
        if (openApi.path(INT_OR_STRING).asBoolean()) {
            out.set("type", JsonNodeFactory.instance.arrayNode().add("integer").add("string"));
        }
        boolean object = "object".equals(openApi.path("type").asText());
        if (object && !openApi.path(PRESERVE_UNKNOWN).asBoolean() && !openApi.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    private static JsonNode translateKeyword(String key, JsonNode value) {
        if (SCHEMA_VALUES.contains(key) && value.isObject()) {
            return translate(value);
        }
        if (SCHEMA_MAPS.contains(key)) {
            ObjectNode map = JsonNodeFactory.instance.objectNode();
            value.fields().forEachRemaining(p -> map.set(p.getKey(), translate(p.getValue())));
            return map;
        }
        if (SCHEMA_LISTS.contains(key)) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            value.forEach(s -> list.add(translate(s)));
            return list;
        }
        return value.deepCopy();
    }
}
