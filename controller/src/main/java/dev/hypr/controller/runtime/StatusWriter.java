package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way a controller writes status. Several controllers write fields of one object's
 * status (the VM and Forward controllers, the runtime's error condition), each owning its own
 * fields (docs/architecture.md lists the owners). A write carries the resourceVersion it read;
 * when another writer got in between, the object is read again and {@code mine} re-applied to
 * the fresh status, so neither write is lost, and nobody's fields are rewritten from a stale copy.
 */
public final class StatusWriter {
    /** Enough for any real contention (a handful of writers per object); then the caller's back-off takes over. */
    static final int MAX_ATTEMPTS = 50;
    private final ObjectStore store;

    public StatusWriter(ObjectStore store) {
        this.store = store;
    }

    /**
     * Sets this writer's fields: {@code mine} edits a copy of the current status (it must only
     * touch the fields its caller owns, and be safe to run again on a newer status). Nothing
     * is written when it changes nothing. Returns the stored object, empty when it is gone.
     */
    public Optional<ObjectNode> update(Kind kind, String name, Consumer<ObjectNode> mine) {
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> found = store.get(kind, name);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode obj = found.get();
            ObjectNode status = obj.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
            mine.accept(status);
            if (status.equals(obj.path("status"))) {
                return found;
            }
            try {
                return Optional.of(store.updateStatus(kind, name, status, Objects.resourceVersion(obj)));
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.NOT_FOUND) {
                    return Optional.empty();
                }
                if (e.reason() != StoreException.Reason.CONFLICT || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                // another writer got in between: read again and re-apply only our fields
            }
        }
    }

    /**
     * For a controller that computed its whole status from the object it read ({@code read}):
     * writes what it computed ({@code mine}) while keeping what other writers own, i.e. the
     * condition types in {@code foreignConditions} and any field neither {@code read} nor
     * {@code mine} has (added by another writer since).
     */
    public Optional<ObjectNode> replaceOwn(Kind kind, String name, ObjectNode read, ObjectNode mine,
            java.util.Set<String> foreignConditions) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        read.fieldNames().forEachRemaining(fields::add);
        mine.fieldNames().forEachRemaining(fields::add);
        fields.remove("conditions");
        java.util.Set<String> conditions = new java.util.HashSet<>();
        read.path("conditions").forEach(c -> conditions.add(c.path("type").asText()));
        mine.path("conditions").forEach(c -> conditions.add(c.path("type").asText()));
        conditions.removeAll(foreignConditions);
        return update(kind, name, fresh -> StatusFields.copy(mine, fresh, fields, conditions));
    }
}
