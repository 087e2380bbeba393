package dev.hypr.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;

/** Rewrites the schema library's errors as hypr errors: the offending node's position, field path and a short message. */
final class SchemaErrorMessages {
    private SchemaErrorMessages() {
    }

    static ManifestError toManifestError(Manifest manifest, com.networknt.schema.Error error) {
        String pointer = pointer(error.getInstanceLocation());
        JsonNode rule = error.getSchemaNode();
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        return switch (keyword) {
            case "additionalProperties" -> manifest.errorAtKey(JsonPointers.child(pointer, error.getProperty()),
                    "unknown field \"" + error.getProperty() + "\"");
            case "required" -> manifest.errorAt(JsonPointers.child(pointer, error.getProperty()),
                    "required field is missing");
            case "type" -> manifest.errorAt(pointer, "must be " + article(typeName(rule)) + ", not "
                    + article(describe(error.getInstanceNode())));
            case "enum" -> manifest.errorAt(pointer, "must be one of " + join(rule) + ", not " + error.getInstanceNode());
            case "minimum" -> manifest.errorAt(pointer, "must be at least " + rule.asText());
            case "maximum" -> manifest.errorAt(pointer, "must be at most " + rule.asText());
            case "minLength" -> manifest.errorAt(pointer, rule.asInt() == 1 ? "must not be empty"
                    : "must be at least " + rule.asInt() + " characters long");
            case "maxLength" -> manifest.errorAt(pointer, "must be at most " + rule.asInt() + " characters long");
            case "minItems" -> manifest.errorAt(pointer, "must have at least " + rule.asInt() + " item(s)");
            case "maxItems" -> manifest.errorAt(pointer, "must have at most " + rule.asInt() + " items");
            case "pattern" -> manifest.errorAt(pointer, "must match " + rule.asText());
            default -> manifest.errorAt(pointer, error.getMessage());
        };
    }

    private static String pointer(NodePath path) {
        String pointer = "";
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer = element instanceof Integer index ? JsonPointers.child(pointer, index)
                    : JsonPointers.child(pointer, element.toString());
        }
        return pointer;
    }

    private static String typeName(JsonNode rule) {
        if (rule.isArray()) {
            List<String> names = new ArrayList<>();
            rule.forEach(t -> names.add(typeName(t)));
            return String.join(" or ", names);
        }
        return switch (rule.asText()) {
            case "object" -> "mapping";
            case "array" -> "list";
            default -> rule.asText();
        };
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "mapping";
            case ARRAY -> "list";
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String article(String noun) {
        return noun.equals("null") ? noun : ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String join(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return String.join(", ", texts);
    }
}
