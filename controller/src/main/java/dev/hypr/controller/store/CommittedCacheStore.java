package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What both back-ends share (SQLite's {@link CachedObjectStore}, etcd's {@code EtcdObjectStore}):
 * reads served from an in-memory map of the committed objects (like the API server's watch
 * cache), and every write expressed as {@link StoreOperations} on a {@link WriteBatch} that the
 * back-end's {@link #write} makes durable. Subclasses replace {@link #committed} and advance
 * {@link #revision} together under {@link #cacheLock}, so a list is exactly "as of" its revision.
 */
public abstract class CommittedCacheStore implements ObjectStore {
    protected final Clock clock;
    /** Guards {@link #committed} + {@link #revision} as one snapshot. */
    protected final ReentrantLock cacheLock;
    /** Sorted by kind then name so lists come out in a stable order. */
    protected volatile Map<ObjectKey, ObjectNode> committed = new TreeMap<>();
    protected volatile long revision;

    protected CommittedCacheStore(Clock clock, boolean fairCacheLock) {
        this.clock = clock;
        this.cacheLock = new ReentrantLock(fairCacheLock);
    }

    /** Runs work on a batch over the committed objects; commits its changes unless dryRun or empty. */
    protected abstract <T> T write(boolean dryRun, StoreLimits.WriteBudget budget, Function<WriteBatch, T> work);

    @Override
    public Optional<ObjectNode> get(Kind kind, String name) {
        return Optional.ofNullable(committed.get(new ObjectKey(kind, name))).map(ObjectNode::deepCopy);
    }

    @Override
    public ObjectList list(Kind kind, Predicate<ObjectNode> filter) {
        Map<ObjectKey, ObjectNode> snapshot;
        long rev;
        cacheLock.lock();
        try {
            snapshot = committed;
            rev = revision;
        } finally {
            cacheLock.unlock();
        }
        List<ObjectNode> items = new ArrayList<>();
        for (Map.Entry<ObjectKey, ObjectNode> e : snapshot.entrySet()) {
            if ((kind == null || e.getKey().kind() == kind) && (filter == null || filter.test(e.getValue()))) {
                items.add(e.getValue().deepCopy());
            }
        }
        return new ObjectList(items, rev);
    }

    @Override
    public List<ApplyResult> apply(List<ObjectNode> objects, boolean dryRun) {
        return write(dryRun, StoreLimits.WriteBudget.APPLY, batch -> StoreOperations.apply(batch, objects, clock.instant()));
    }

    @Override
    public ObjectNode updateStatus(Kind kind, String name, JsonNode status, long expectedRevision) {
        return write(false, StoreLimits.WriteBudget.CONTROLLER,
                batch -> StoreOperations.updateStatus(batch, new ObjectKey(kind, name), status, expectedRevision));
    }

    @Override
    public Optional<ObjectNode> updateFinalizers(Kind kind, String name, List<String> finalizers, long expectedRevision) {
        return write(false, StoreLimits.WriteBudget.CONTROLLER,
                batch -> StoreOperations.updateFinalizers(batch, new ObjectKey(kind, name), finalizers, expectedRevision, clock.instant()));
    }

    @Override
    public Optional<ObjectNode> delete(Kind kind, String name, long expectedRevision) {
        return write(false, StoreLimits.WriteBudget.UNBOUNDED,
                batch -> StoreOperations.delete(batch, new ObjectKey(kind, name), expectedRevision, clock.instant()));
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public long count(Kind kind) {
        return committed.keySet().stream().filter(k -> k.kind() == kind).count();
    }

    /**
     * The usage once the batch commits, from the sizes of the committed objects; newSizes gets
     * each touched object's size (null: removed).
     */
    protected static StoreUsage usageAfter(WriteBatch batch, Map<ObjectKey, Long> sizes, StoreUsage now,
                                           Map<ObjectKey, Long> newSizes) {
        long objects = now.objects();
        long bytes = now.bytes();
        for (Map.Entry<ObjectKey, Optional<ObjectNode>> e : batch.staged().entrySet()) {
            Long before = sizes.get(e.getKey());
            Long after = e.getValue().map(ObjectSize::of).orElse(null);
            objects += (after != null ? 1 : 0) - (before != null ? 1 : 0);
            bytes += (after != null ? after : 0) - (before != null ? before : 0);
            newSizes.put(e.getKey(), after);
        }
        return new StoreUsage(objects, bytes);
    }

    /** A watcher; objects handed to it are its own copies. */
    public record Subscription(Kind kind, Consumer<Change> listener) {
        public void deliver(Change c) {
            if (kind == null || c.key().kind() == kind) {
                listener.accept(new Change(c.revision(), c.type(), c.key(), c.object().deepCopy()));
            }
        }
    }
}
