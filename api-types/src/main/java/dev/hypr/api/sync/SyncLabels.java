package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The metadata a Sync puts on objects it manages, and reads back to recognise them. */
public final class SyncLabels {
    /** Label naming the Sync that manages an object: {@code hypr.dev/sync: <syncName>}. */
    public static final String MANAGED_BY = "hypr.dev/sync";

    /**
     * Annotation on a Sync that asks for a pass now ({@code hyprctl sync reconcile}). Changing it
     * is a store change, which wakes the controller; the controller otherwise ignores it.
     */
    public static final String RECONCILE_REQUESTED_AT = "hypr.dev/reconcile-requested-at";

    private SyncLabels() {
    }

    /** The Sync named in an object's {@value #MANAGED_BY} label, if any. */
    public static Optional<String> managingSync(JsonNode object) {
        JsonNode v = object.path("metadata").path("labels").get(MANAGED_BY);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    /** Puts the {@value #MANAGED_BY} label on an object in place. */
    public static void markManaged(ObjectNode object, String syncName) {
        ObjectNode metadata = object.with("metadata");
        ObjectNode labels = metadata.has("labels") && metadata.get("labels").isObject()
                ? (ObjectNode) metadata.get("labels")
                : metadata.putObject("labels");
        labels.put(MANAGED_BY, syncName);
    }

    /** The label selector that finds every object a Sync manages. */
    public static String selector(String syncName) {
        return MANAGED_BY + "=" + syncName;
    }
}
