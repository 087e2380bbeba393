package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the metadata fields every object has; the store's view of an unstructured object. */
public final class Objects {
    private Objects() {
    }

    public static ObjectKey key(ObjectNode o) {
        String kindName = o.path("kind").asText("");
        Kind kind = Kind.fromKindName(kindName)
                .orElseThrow(() -> new StoreException(StoreException.Reason.INVALID, "unknown kind \"" + kindName + "\""));
        String name = o.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            throw new StoreException(StoreException.Reason.INVALID, kindName + ": metadata.name is required");
        }
        return new ObjectKey(kind, name);
    }

    public static ObjectNode metadata(ObjectNode o) {
        JsonNode m = o.get("metadata");
        if (m instanceof ObjectNode mo) {
            return mo;
        }
        return o.putObject("metadata");
    }

    public static String uid(ObjectNode o) {
        return o.path("metadata").path("uid").asText("");
    }

    public static long resourceVersion(ObjectNode o) {
        String rv = o.path("metadata").path("resourceVersion").asText("");
        return rv.isEmpty() ? 0 : Long.parseLong(rv);
    }

    public static long generation(ObjectNode o) {
        return o.path("metadata").path("generation").asLong(0);
    }

    public static boolean isBeingDeleted(ObjectNode o) {
        return o.path("metadata").hasNonNull("deletionTimestamp");
    }

    public static List<String> finalizers(ObjectNode o) {
        List<String> out = new ArrayList<>();
        o.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
        return out;
    }

    public static List<String> ownerUids(ObjectNode o) {
        List<String> out = new ArrayList<>();
        o.path("metadata").path("ownerReferences").forEach(r -> out.add(r.path("uid").asText("")));
        return out;
    }

    public static Optional<JsonNode> field(ObjectNode o, String name) {
        return Optional.ofNullable(o.get(name)).filter(n -> !n.isNull());
    }

    public static ArrayNode stringArray(List<String> values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
