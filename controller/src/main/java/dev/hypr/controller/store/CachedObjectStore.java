package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The object store: reads are served from memory (like the API server's watch cache),
 * writes are serialized, made durable by {@link Persistence} and only then become visible
 * to readers and watchers, in revision order.
 */
public final class CachedObjectStore implements ObjectStore {
    private final Persistence persistence;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Sorted by kind then name so lists come out in a stable order. */
    private volatile Map<ObjectKey, ObjectNode> committed;
    private volatile long revision;
    private final List<Subscription> watchers = new CopyOnWriteArrayList<>();
    private final StoreLimits limits;
    /** {@link ObjectSize} of every committed object; changed only under the write lock. */
    private final Map<ObjectKey, Long> sizes = new HashMap<>();
    private volatile StoreUsage usage;

    public CachedObjectStore(Persistence persistence, Clock clock) {
        this(persistence, clock, StoreLimits.NONE);
    }

    public CachedObjectStore(Persistence persistence, Clock clock, StoreLimits limits) {
        this.persistence = persistence;
        this.clock = clock;
        this.limits = limits;
        TreeMap<ObjectKey, ObjectNode> loaded = new TreeMap<>();
        long bytes = 0;
        for (ObjectNode o : persistence.loadObjects()) {
            ObjectKey key = Objects.key(o);
            loaded.put(key, o);
            long size = ObjectSize.of(o);
            sizes.put(key, size);
            bytes += size;
        }
        this.committed = loaded;
        this.usage = new StoreUsage(loaded.size(), bytes);
        this.revision = persistence.loadRevision();
    }

    /** Objects and bytes in the store now (as {@link ObjectSize} counts them). */
    public StoreUsage usage() {
        return usage;
    }

    public StoreLimits limits() {
        return limits;
    }

    @Override
    public Optional<ObjectNode> get(Kind kind, String name) {
        return Optional.ofNullable(committed.get(new ObjectKey(kind, name))).map(ObjectNode::deepCopy);
    }

    @Override
    public ObjectList list(Kind kind, Predicate<ObjectNode> filter) {
        // Read the map and revision under the lock so the list is exactly "as of" that revision.
        Map<ObjectKey, ObjectNode> snapshot;
        long rev;
        writeLock.lock();
        try {
            snapshot = committed;
            rev = revision;
        } finally {
            writeLock.unlock();
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
    public AutoCloseable watch(Kind kind, long fromRevision, Consumer<Change> listener) {
        Subscription sub = new Subscription(kind, listener);
        writeLock.lock();
        try {
            if (fromRevision == 0) {
                committed.forEach((k, o) -> sub.deliver(new Change(Objects.resourceVersion(o), ChangeType.ADDED, k, o.deepCopy())));
            } else {
                long oldest = persistence.oldestRetainedRevision();
                if (fromRevision < revision && oldest > 0 && fromRevision < oldest - 1) {
                    throw new StoreException(StoreException.Reason.EXPIRED, "too old resource version: " + fromRevision
                            + " (oldest kept is " + oldest + "); list again and watch from the list's revision");
                }
                persistence.changesSince(fromRevision).forEach(sub::deliver);
            }
            watchers.add(sub);
        } finally {
            writeLock.unlock();
        }
        return () -> watchers.remove(sub);
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public long count(Kind kind) {
        return committed.keySet().stream().filter(k -> k.kind() == kind).count();
    }

    private <T> T write(boolean dryRun, StoreLimits.WriteBudget budget, Function<WriteBatch, T> work) {
        writeLock.lock();
        try {
            WriteBatch batch = new WriteBatch(committed, revision);
            T result = work.apply(batch);
            if (batch.changes().isEmpty()) {
                return result;
            }
            Map<ObjectKey, Long> newSizes = new HashMap<>();
            StoreUsage after = usageAfter(batch, newSizes);
            limits.check(usage, after, budget);
            if (dryRun) {
                return result;
            }
            persistence.commit(batch.changes());
            newSizes.forEach((k, size) -> {
                if (size == null) {
                    sizes.remove(k);
                } else {
                    sizes.put(k, size);
                }
            });
            usage = after;
            TreeMap<ObjectKey, ObjectNode> next = new TreeMap<>(committed);
            for (Change c : batch.changes()) {
                if (c.type() == ChangeType.DELETED) {
                    next.remove(c.key());
                } else {
                    next.put(c.key(), c.object());
                }
            }
            committed = next;
            revision = batch.revision();
            for (Change c : batch.changes()) {
                for (Subscription s : watchers) {
                    s.deliver(c);
                }
            }
            return result;
        } finally {
            writeLock.unlock();
        }
    }


    /** The usage once the batch commits; newSizes gets each touched object's size (null: removed). */
    private StoreUsage usageAfter(WriteBatch batch, Map<ObjectKey, Long> newSizes) {
        long objects = usage.objects();
        long bytes = usage.bytes();
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
    private record Subscription(Kind kind, Consumer<Change> listener) {
        void deliver(Change c) {
            if (kind == null || c.key().kind() == kind) {
                listener.accept(new Change(c.revision(), c.type(), c.key(), c.object().deepCopy()));
            }
        }
    }
}
