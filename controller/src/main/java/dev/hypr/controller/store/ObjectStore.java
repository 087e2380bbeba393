package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The desired and observed state of every object, with Kubernetes semantics: a uid per
 * object, generation bumped only by spec changes, one global resourceVersion, optimistic
 * concurrency, finalizers, owner-reference garbage collection and resumable watches.
 *
 * <p>Controllers depend only on this interface, so they can run against a real Kubernetes
 * API server instead of the local SQLite store. Returned objects are copies the caller owns.
 */
public interface ObjectStore {

    Optional<ObjectNode> get(Kind kind, String name);

    /** kind null = every kind; filter null = everything. */
    ObjectList list(Kind kind, Predicate<ObjectNode> filter);

    /**
     * Creates or updates spec, labels, annotations (and, when given, finalizers and owner
     * references) of every object, in one transaction: all or nothing. Status in the input is
     * ignored. A non-empty metadata.resourceVersion must match the stored one.
     */
    List<ApplyResult> apply(List<ObjectNode> objects, boolean dryRun);

    /** Replaces status only. expectedRevision 0 = whatever is stored. */
    ObjectNode updateStatus(Kind kind, String name, JsonNode status, long expectedRevision);

    /** Replaces the finalizer list; removing the last one of a deleted object removes it. */
    Optional<ObjectNode> updateFinalizers(Kind kind, String name, List<String> finalizers, long expectedRevision);

    /**
     * Deletes the object, or marks it with deletionTimestamp while it has finalizers.
     * Objects it owns are deleted the same way. Returns the object if it still exists.
     */
    Optional<ObjectNode> delete(Kind kind, String name, long expectedRevision);

    /**
     * Streams changes after {@code fromRevision}; 0 = every current object as ADDED first.
     * The listener runs on the writer's thread and must not block.
     */
    AutoCloseable watch(Kind kind, long fromRevision, Consumer<Change> listener);

    long revision();

    /** How many objects of a kind exist (for metrics). */
    default long count(Kind kind) {
        return list(kind, null).items().size();
    }
}
