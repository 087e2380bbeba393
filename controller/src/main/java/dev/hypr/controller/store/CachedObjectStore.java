package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The object store: reads are served from memory (like the API server's watch cache),
 * writes are serialized, made durable by {@link Persistence} and only then become visible
 * to readers and watchers, in revision order.
 */
public final class CachedObjectStore extends CommittedCacheStore {
    private final Persistence persistence;
    private final List<Subscription> watchers = new CopyOnWriteArrayList<>();
    private final StoreLimits limits;
    /** {@link ObjectSize} of every committed object; changed only under the cache lock. */
    private final Map<ObjectKey, Long> sizes = new HashMap<>();
    private volatile StoreUsage usage;

    public CachedObjectStore(Persistence persistence, Clock clock) {
        this(persistence, clock, StoreLimits.NONE);
    }

    public CachedObjectStore(Persistence persistence, Clock clock, StoreLimits limits) {
        super(clock, true); // the cache lock also serializes writes: fair, so no writer starves
        this.persistence = persistence;
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
    public AutoCloseable watch(Kind kind, long fromRevision, Consumer<Change> listener) {
        Subscription sub = new Subscription(kind, listener);
        cacheLock.lock();
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
            cacheLock.unlock();
        }
        return () -> watchers.remove(sub);
    }

    @Override
    protected <T> T write(boolean dryRun, StoreLimits.WriteBudget budget, Function<WriteBatch, T> work) {
        cacheLock.lock();
        try {
            WriteBatch batch = new WriteBatch(committed, revision);
            T result = work.apply(batch);
            if (batch.changes().isEmpty()) {
                return result;
            }
            Map<ObjectKey, Long> newSizes = new HashMap<>();
            StoreUsage after = usageAfter(batch, sizes, usage, newSizes);
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
            cacheLock.unlock();
        }
    }


}
