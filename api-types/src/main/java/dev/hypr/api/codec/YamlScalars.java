package dev.hypr.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;

/** YAML scalars, as SnakeYAML Engine constructs them, in JSON: one mapping for the codec and compose. */
public final class YamlScalars {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlScalars() {
    }

    /** A constructed YAML scalar (null, Boolean, Integer, Long, BigInteger, Double, else text) as JSON. */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        return NODES.textNode(value.toString());
    }
}
