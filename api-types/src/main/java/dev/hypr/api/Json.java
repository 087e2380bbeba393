package dev.hypr.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the project: objects are stored, sent and compared as JSON. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object", e);
        }
    }

    /** A copy with every object's keys in sorted order: for stable hashes and readable diffs. */
    public static JsonNode sortedKeys(JsonNode n) {
        if (n.isObject()) {
            java.util.TreeMap<String, JsonNode> fields = new java.util.TreeMap<>();
            n.fields().forEachRemaining(e -> fields.put(e.getKey(), sortedKeys(e.getValue())));
            ObjectNode o = MAPPER.createObjectNode();
            fields.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = MAPPER.createArrayNode();
            n.forEach(e -> a.add(sortedKeys(e)));
            return a;
        }
        return n;
    }

    public static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
