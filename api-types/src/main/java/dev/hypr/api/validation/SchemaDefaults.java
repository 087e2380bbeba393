package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fills {@code default:} values from an OpenAPI schema into an object, as the API server does on create. */
final class SchemaDefaults {
    private SchemaDefaults() {
    }

    static void apply(JsonNode schema, JsonNode value) {
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            schema.path("properties").fields().forEachRemaining(p -> {
                JsonNode propertySchema = p.getValue();
                if (!object.has(p.getKey()) && propertySchema.has("default")) {
                    object.set(p.getKey(), propertySchema.get("default").deepCopy());
                }
                if (object.has(p.getKey())) {
                    apply(propertySchema, object.get(p.getKey()));
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(item -> apply(schema.get("items"), item));
        }
    }
}
