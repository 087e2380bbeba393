package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import dev.hypr.api.codec.YamlScalars;

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
        return YamlScalars.toJson(((YScalar) node).value());
    }
}
