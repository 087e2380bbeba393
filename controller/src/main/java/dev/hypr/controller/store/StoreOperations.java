package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's writes as changes staged on a {@link WriteBatch}: shared by every back-end, so
 * SQLite and etcd give the same answers (generation, finalizers, owner garbage collection).
 * Results are copies the caller owns.
 */
public final class StoreOperations {
    private StoreOperations() {
    }

    public static List<ApplyResult> apply(WriteBatch batch, List<ObjectNode> objects, Instant now) {
        List<ApplyResult> results = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            try {
                results.add(applyOne(batch, objects.get(i), now));
            } catch (StoreException e) {
                throw e.aboutObject(i);
            }
        }
        return results;
    }

    private static ApplyResult applyOne(WriteBatch batch, ObjectNode manifest, Instant now) {
        ObjectKey key = Objects.key(manifest);
        Optional<ObjectNode> current = batch.get(key);
        if (current.isEmpty()) {
            ObjectNode created = ObjectTransitions.create(manifest, batch.nextRevision(), now);
            batch.put(ChangeType.ADDED, key, created);
            return new ApplyResult(key, ApplyOutcome.CREATED, created.deepCopy());
        }
        Optional<ObjectNode> updated = ObjectTransitions.update(current.get(), manifest, batch.nextRevision());
        if (updated.isPresent()) {
            batch.put(ChangeType.MODIFIED, key, updated.get());
            return new ApplyResult(key, ApplyOutcome.CONFIGURED, updated.get().deepCopy());
        }
        return new ApplyResult(key, ApplyOutcome.UNCHANGED, current.get().deepCopy());
    }

    public static ObjectNode updateStatus(WriteBatch batch, ObjectKey key, JsonNode status, long expectedRevision) {
        ObjectNode current = batch.get(key).orElseThrow(() -> StoreException.notFound(key.toString()));
        Optional<ObjectNode> next = ObjectTransitions.withStatus(current, status, expectedRevision, batch.nextRevision());
        next.ifPresent(n -> batch.put(ChangeType.MODIFIED, key, n));
        return next.orElse(current).deepCopy();
    }

    public static Optional<ObjectNode> updateFinalizers(WriteBatch batch, ObjectKey key, List<String> finalizers,
            long expectedRevision, Instant now) {
        ObjectNode current = batch.get(key).orElseThrow(() -> StoreException.notFound(key.toString()));
        Optional<ObjectNode> next = ObjectTransitions.withFinalizers(current, finalizers, expectedRevision, batch.nextRevision());
        if (next.isEmpty()) {
            return Optional.of(current.deepCopy());
        }
        if (finalizers.isEmpty() && Objects.isBeingDeleted(current)) {
            removeWithDependents(batch, key, next.get(), now);
            return Optional.empty();
        }
        batch.put(ChangeType.MODIFIED, key, next.get());
        return Optional.of(next.get().deepCopy());
    }

    public static Optional<ObjectNode> delete(WriteBatch batch, ObjectKey key, long expectedRevision, Instant now) {
        ObjectNode current = batch.get(key).orElseThrow(() -> StoreException.notFound(key.toString()));
        ObjectTransitions.checkRevision(current, expectedRevision);
        deleteOne(batch, key, current, now);
        return batch.get(key).map(ObjectNode::deepCopy);
    }

    private static void deleteOne(WriteBatch batch, ObjectKey key, ObjectNode current, Instant now) {
        if (Objects.finalizers(current).isEmpty()) {
            removeWithDependents(batch, key, current, now);
        } else {
            ObjectTransitions.markDeleted(current, batch.nextRevision(), now)
                    .ifPresent(marked -> batch.put(ChangeType.MODIFIED, key, marked));
        }
    }

    /** Removes the object, then deletes (or marks) every object whose owner it was. */
    private static void removeWithDependents(WriteBatch batch, ObjectKey key, ObjectNode lastSeen, Instant now) {
        String uid = Objects.uid(lastSeen);
        ObjectNode tombstone = lastSeen.deepCopy();
        Objects.metadata(tombstone).put("resourceVersion", Long.toString(batch.nextRevision()));
        batch.remove(key, tombstone);
        List<ObjectNode> dependents = batch.objects()
                .filter(o -> Objects.ownerUids(o).contains(uid))
                .toList();
        for (ObjectNode dependent : dependents) {
            deleteOne(batch, Objects.key(dependent), dependent, now);
        }
    }
}
