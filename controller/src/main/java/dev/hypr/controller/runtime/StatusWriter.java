package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one way a controller writes status. Several controllers write fields of one object's
 * status (the VM and Forward controllers, the runtime's error condition), each owning its own
 * fields (docs/architecture.md lists the owners). A write carries the resourceVersion it read;
 * when another writer got in between, the object is read again and {@code mine} re-applied to
 * the fresh status, so neither write is lost, and nobody's fields are rewritten from a stale copy.
 */
public final class StatusWriter {
    /** Far beyond any real contention (a handful of writers per object); then the caller's back-off takes over. */
    static final int MAX_ATTEMPTS = 1000;
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
                // another writer got in between: read again and re-apply only our fields; after a few
                // lost races, a random pause so two busy writers stop colliding in lock-step
                if (attempt >= 3) {
                    pause(attempt);
                }
            }
        }
    }

    private static void pause(int attempt) {
        java.util.concurrent.locks.LockSupport.parkNanos(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 1 + Math.min(attempt, 50) * 20_000L));
    }

    /**
     * For a controller that owns the whole status but for a few condition types (the runtime's
     * error condition): makes the stored status {@code mine} while keeping the stored
     * {@code foreignConditions}.
     */
    public Optional<ObjectNode> replaceOwn(Kind kind, String name, ObjectNode mine, Set<String> foreignConditions) {
        return update(kind, name, fresh -> {
            Set<String> fields = new HashSet<>();
            fresh.fieldNames().forEachRemaining(fields::add);
            mine.fieldNames().forEachRemaining(fields::add);
            Set<String> conditions = new HashSet<>();
            fresh.path("conditions").forEach(c -> conditions.add(c.path("type").asText()));
            mine.path("conditions").forEach(c -> conditions.add(c.path("type").asText()));
            conditions.removeAll(foreignConditions);
            StatusFields.copy(mine, fresh, fields, conditions);
        });
    }
}
