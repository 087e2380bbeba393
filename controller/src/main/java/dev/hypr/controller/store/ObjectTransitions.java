package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The API server's rules for turning a request and the stored object into the next stored
 * object. Pure: no I/O, no clock of its own, so every rule is unit-tested directly.
 */
public final class ObjectTransitions {
    /** Metadata fields a client may set through apply. Everything else belongs to the store. */
    private static final String NODE_NAME = "nodeName";
    private static final List<String> CLIENT_METADATA = List.of("labels", "annotations", "finalizers", "ownerReferences");

    private ObjectTransitions() {
    }

    /** A new object as stored: server-owned metadata filled in, status empty. */
    public static ObjectNode create(ObjectNode manifest, long revision, Instant now) {
        ObjectKey key = Objects.key(manifest);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("apiVersion", Kind.API_VERSION);
        out.put("kind", key.kind().kindName());
        ObjectNode meta = out.putObject("metadata");
        meta.put("name", key.name());
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("generation", 1);
        meta.put("resourceVersion", Long.toString(revision));
        meta.put("creationTimestamp", timestamp(now));
        copyClientMetadata(Objects.metadata(manifest), meta);
        out.set("spec", keepBinding(key, Json.MAPPER.createObjectNode(), specOf(manifest)));
        return out;
    }

    /**
     * The stored object after applying {@code manifest} to {@code current}, or empty when
     * nothing the client may change differs (no write, no new revision).
     */
    public static Optional<ObjectNode> update(ObjectNode current, ObjectNode manifest, long revision) {
        ObjectKey key = Objects.key(current);
        String wantedRv = manifest.path("metadata").path("resourceVersion").asText("");
        if (!wantedRv.isEmpty() && !wantedRv.equals(Long.toString(Objects.resourceVersion(current)))) {
            throw StoreException.conflict(key.toString(), wantedRv, Objects.resourceVersion(current));
        }
        ObjectNode next = current.deepCopy();
        ObjectNode nextMeta = Objects.metadata(next);
        ObjectNode wantedMeta = Objects.metadata(manifest);
        for (String field : List.of("labels", "annotations")) {
            replaceOrRemove(nextMeta, field, wantedMeta.get(field));
        }
        // finalizers and ownerReferences are only changed when the manifest names them:
        // a plain re-apply of a user's file must not drop a controller's finalizer.
        for (String field : List.of("finalizers", "ownerReferences")) {
            if (wantedMeta.has(field)) {
                replaceOrRemove(nextMeta, field, wantedMeta.get(field));
            }
        }
        JsonNode wantedSpec = keepBinding(key, current.path("spec"), specOf(manifest));
        boolean specChanged = !wantedSpec.equals(current.path("spec"));
        if (specChanged && Objects.isBeingDeleted(current)) {
            throw new StoreException(StoreException.Reason.BEING_DELETED,
                    key + " is being deleted; its spec can no longer change");
        }
        next.set("spec", wantedSpec);
        if (next.equals(current)) {
            return Optional.empty();
        }
        if (specChanged) {
            nextMeta.put("generation", Objects.generation(current) + 1);
        }
        nextMeta.put("resourceVersion", Long.toString(revision));
        return Optional.of(next);
    }

    /** The object with a new status, or empty when the status is already that. */
    public static Optional<ObjectNode> withStatus(ObjectNode current, JsonNode status, long expectedRevision, long revision) {
        checkRevision(current, expectedRevision);
        JsonNode wanted = status == null || status.isNull() ? Json.MAPPER.createObjectNode() : status;
        if (!wanted.isObject()) {
            throw new StoreException(StoreException.Reason.INVALID, "status must be an object");
        }
        if (wanted.equals(current.path("status"))) {
            return Optional.empty();
        }
        ObjectNode next = current.deepCopy();
        next.set("status", wanted);
        Objects.metadata(next).put("resourceVersion", Long.toString(revision));
        return Optional.of(next);
    }

    public static Optional<ObjectNode> withFinalizers(ObjectNode current, List<String> finalizers, long expectedRevision, long revision) {
        checkRevision(current, expectedRevision);
        if (Objects.finalizers(current).equals(finalizers)) {
            return Optional.empty();
        }
        ObjectNode next = current.deepCopy();
        replaceOrRemove(Objects.metadata(next), "finalizers", finalizers.isEmpty() ? null : Objects.stringArray(finalizers));
        Objects.metadata(next).put("resourceVersion", Long.toString(revision));
        return Optional.of(next);
    }

    /** The object marked for deletion; empty when it already is (deletion is idempotent). */
    public static Optional<ObjectNode> markDeleted(ObjectNode current, long revision, Instant now) {
        if (Objects.isBeingDeleted(current)) {
            return Optional.empty();
        }
        ObjectNode next = current.deepCopy();
        Objects.metadata(next).put("deletionTimestamp", timestamp(now));
        Objects.metadata(next).put("resourceVersion", Long.toString(revision));
        return Optional.of(next);
    }

    public static void checkRevision(ObjectNode current, long expectedRevision) {
        if (expectedRevision != 0 && expectedRevision != Objects.resourceVersion(current)) {
            throw StoreException.conflict(Objects.key(current).toString(), Long.toString(expectedRevision),
                    Objects.resourceVersion(current));
        }
    }

    public static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * A VM's (or Volume's) node binding (spec.nodeName) survives a re-apply of a manifest that omits it, as a
     * Pod's binding survives kubectl apply: the scheduler set it, the user's file never had it.
     * An explicit empty string unbinds (the scheduler's NodeLost, drain's eviction).
     */
    static JsonNode keepBinding(ObjectKey key, JsonNode currentSpec, JsonNode wantedSpec) {
        if ((key.kind() != Kind.VM && key.kind() != Kind.VOLUME) || !(wantedSpec instanceof ObjectNode wanted)) {
            return wantedSpec;
        }
        if (!wanted.has(NODE_NAME) && !currentSpec.path(NODE_NAME).asText("").isEmpty()) {
            wanted.set(NODE_NAME, currentSpec.get(NODE_NAME).deepCopy());
        } else if (wanted.path(NODE_NAME).isTextual() && wanted.path(NODE_NAME).asText().isEmpty()) {
            wanted.remove(NODE_NAME);
        }
        return wanted;
    }

    private static JsonNode specOf(ObjectNode manifest) {
        JsonNode spec = manifest.get("spec");
        return spec == null || spec.isNull() ? Json.MAPPER.createObjectNode() : spec.deepCopy();
    }

    private static void copyClientMetadata(ObjectNode from, ObjectNode to) {
        for (String field : CLIENT_METADATA) {
            JsonNode v = from.get(field);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                to.set(field, v.deepCopy());
            }
        }
    }

    private static void replaceOrRemove(ObjectNode meta, String field, JsonNode value) {
        if (value == null || value.isNull() || (value.isContainerNode() && value.isEmpty())) {
            meta.remove(field);
        } else {
            meta.set(field, value.deepCopy());
        }
    }
}
