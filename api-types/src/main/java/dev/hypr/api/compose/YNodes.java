package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.math.BigInteger;

/** A loaded compose value as a plain JSON tree (positions dropped), for printing the resolved model. */
final class YNodes {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private YNodes() {
    }

    static JsonNode toJson(YNode node) {
        if (node instanceof YMap m) {
            ObjectNode out = F.objectNode();
            m.entries().forEach((k, v) -> out.set(k, toJson(v)));
            return out;
        }
        if (node instanceof YList l) {
            ArrayNode out = F.arrayNode();
            l.items().forEach(i -> out.add(toJson(i)));
            return out;
        }
        Object v = ((YScalar) node).value();
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Long n) {
            return F.numberNode(n);
        }
        if (v instanceof Integer n) {
            return F.numberNode(n);
        }
        if (v instanceof Double d) {
            return F.numberNode(d);
        }
        if (v instanceof BigInteger b) {
            return F.numberNode(b);
        }
        return F.textNode(v.toString());
    }
}
