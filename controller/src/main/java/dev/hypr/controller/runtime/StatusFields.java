package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Iterator;

/** Copies one writer's status fields and conditions into another status, leaving everyone else's alone. */
public final class StatusFields {
    private StatusFields() {
    }

    /**
     * Makes {@code into}'s {@code fields} and condition types {@code conditions} equal to
     * {@code from}'s: set where {@code from} has them, removed where it has not. Other fields and
     * conditions of {@code into} stay as they are, in their order.
     */
    public static void copy(JsonNode from, ObjectNode into, Collection<String> fields, Collection<String> conditions) {
        for (String f : fields) {
            if ("conditions".equals(f)) {
                continue;
            }
            if (from.has(f)) {
                into.set(f, from.get(f).deepCopy());
            } else {
                into.remove(f);
            }
        }
        if (conditions.isEmpty()) {
            return;
        }
        ArrayNode list = into.get("conditions") instanceof ArrayNode a ? a : into.putArray("conditions");
        for (String type : conditions) {
            JsonNode wanted = find(from.path("conditions"), type);
            int at = indexOf(list, type);
            if (wanted == null && at >= 0) {
                list.remove(at);
            } else if (wanted != null && at >= 0) {
                list.set(at, wanted.deepCopy());
            } else if (wanted != null) {
                list.add(wanted.deepCopy());
            }
        }
        if (list.isEmpty()) {
            into.remove("conditions");
        }
    }

    private static JsonNode find(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static int indexOf(ArrayNode list, String type) {
        Iterator<JsonNode> it = list.elements();
        for (int i = 0; it.hasNext(); i++) {
            if (type.equals(it.next().path("type").asText())) {
                return i;
            }
        }
        return -1;
    }
}
