package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import java.util.List;

/**
 * Whether a stored object already is what a manifest asks for, by the store's own rule: apply
 * writes spec, labels and annotations (and finalizers/ownerReferences when named), so only
 * those are compared. Status and server-owned metadata never make an object "changed".
 */
public final class DesiredState {
    private static final List<String> ALWAYS_APPLIED = List.of("labels", "annotations");
    private static final List<String> APPLIED_WHEN_NAMED = List.of("finalizers", "ownerReferences");

    private DesiredState() {
    }

    public static boolean isSatisfiedBy(ObjectNode desired, JsonNode current) {
        if (!orEmpty(desired.get("spec")).equals(orEmpty(current.get("spec")))) {
            return false;
        }
        JsonNode wantedMeta = desired.path("metadata");
        JsonNode currentMeta = current.path("metadata");
        for (String field : ALWAYS_APPLIED) {
            if (!orEmpty(wantedMeta.get(field)).equals(orEmpty(currentMeta.get(field)))) {
                return false;
            }
        }
        for (String field : APPLIED_WHEN_NAMED) {
            if (wantedMeta.has(field) && !orEmptyList(wantedMeta.get(field)).equals(orEmptyList(currentMeta.get(field)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The object as it looks after a trip through JSON text, as the store keeps it: the YAML
     * reader may pick other number node types (LongNode for a small int) that compare unequal.
     */
    public static ObjectNode canonical(ObjectNode object) {
        return Json.parseObject(Json.write(object));
    }

    /** Absent, null and {} all mean "none", as the store treats them. */
    private static JsonNode orEmpty(JsonNode node) {
        return node == null || node.isNull() ? Json.MAPPER.createObjectNode() : node;
    }

    private static JsonNode orEmptyList(JsonNode node) {
        return node == null || node.isNull() ? Json.MAPPER.createArrayNode() : node;
    }
}
