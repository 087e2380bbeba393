package dev.hypr.controller.store.etcd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.CommittedCacheStore;
import dev.hypr.controller.store.ApplyResult;
import dev.hypr.controller.store.Change;
import dev.hypr.controller.store.ChangeType;
import dev.hypr.controller.store.ObjectKey;
import dev.hypr.controller.store.ObjectSize;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import dev.hypr.controller.store.StoreLimits;
import dev.hypr.controller.store.StoreOperations;
import dev.hypr.controller.store.StoreUsage;
import dev.hypr.controller.store.WriteBatch;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The store on etcd, shared by every hyprd of a cluster, built the way the Kubernetes API server
 * builds on etcd: one key per object ({@code PREFIX/KIND/NAME}), resourceVersion = the key's
 * mod revision, every write one etcd transaction that compares the mod revision of each key it
 * touches with the one it read (optimistic concurrency), and reads served from a cache that one
 * etcd watch keeps current (the API server's watch cache).
 *
 * <p>Writes run the same {@link StoreOperations} as the SQLite store over the cached objects;
 * when another hyprd wrote a touched key first, the transaction fails, the cache catches up and
 * the operation runs again on what is now stored, so its checks (expected resourceVersion,
 * finalizers) see the winner's write. A write returns once the cache holds it (read your writes).
 * Objects written in one transaction share one revision. Watches from an old revision are
 * served from the recent changes the cache kept, else from etcd's history (a diff of the objects
 * then and now); a revision etcd has compacted is "too old", as with the API server. The store
 * compacts etcd itself, keeping {@code retainedChanges} revisions, as kube-apiserver does.
 */
public final class EtcdObjectStore extends CommittedCacheStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EtcdObjectStore.class);
    private static final long CALL_TIMEOUT_SECONDS = 30;
    private static final long CATCH_UP_TIMEOUT_MS = 30_000;
    private static final int MAX_ATTEMPTS = 50;
    /** etcd's default --max-txn-ops: a transaction may hold at most this many puts (and compares). */
    static final int MAX_TXN_OPS = 128;

    private final Client client;
    private final String prefix;
    private final ByteSequence prefixBytes;
    private final StoreLimits limits;
    private final int retainedChanges;
    /** Serializes this hyprd's writes: they would only conflict with each other. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** The feed signals this (under {@link #cacheLock}) after each change it applies. */
    private final Condition advanced = cacheLock.newCondition();
    private final Map<ObjectKey, Long> sizes = new HashMap<>();
    private volatile StoreUsage usage = new StoreUsage(0, 0);
    /** The feed's recent changes; every change with a revision above {@link #recentFloor} is here. */
    private final ArrayDeque<Change> recent = new ArrayDeque<>();
    private long recentFloor;
    private final List<Subscription> watchers = new CopyOnWriteArrayList<>();
    private volatile Watch.Watcher feed;
    private volatile boolean closed;
    private volatile long compactedAt;

    public EtcdObjectStore(Client client, String prefix, Clock clock, StoreLimits limits, int retainedChanges) {
        super(clock, false);
        this.client = client;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        this.prefixBytes = bytes(this.prefix);
        this.limits = limits;
        this.retainedChanges = retainedChanges;
        long listed = relist();
        startFeed(listed);
    }

    /** The whole prefix at one revision, replacing the cache; returns that revision. */
    private long relist() {
        GetResponse all = call(client.getKVClient().get(prefixBytes, GetOption.builder().isPrefix(true).build()));
        long at = all.getHeader().getRevision();
        cacheLock.lock();
        try {
            TreeMap<ObjectKey, ObjectNode> loaded = new TreeMap<>();
            for (KeyValue kv : all.getKvs()) {
                loaded.put(keyOf(kv.getKey()), objectOf(kv));
            }
            Map<ObjectKey, ObjectNode> before = committed;
            if (revision > 0) {
                // a resumed feed: tell watchers what changed while it was away, as a relist would
                for (Change c : diff(before, loaded, at)) {
                    publish(c);
                }
            }
            committed = loaded;
            sizes.clear();
            long bytes = 0;
            for (Map.Entry<ObjectKey, ObjectNode> e : loaded.entrySet()) {
                long size = ObjectSize.of(e.getValue());
                sizes.put(e.getKey(), size);
                bytes += size;
            }
            usage = new StoreUsage(loaded.size(), bytes);
            revision = Math.max(revision, at);
            recent.clear();
            recentFloor = revision;
            advanced.signalAll();
        } finally {
            cacheLock.unlock();
        }
        return at;
    }

    private void startFeed(long fromRevision) {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision + 1).build();
        feed = client.getWatchClient().watch(prefixBytes, option, Watch.listener(this::onFeed, this::onFeedError));
    }

    private void onFeed(WatchResponse response) {
        cacheLock.lock();
        try {
            TreeMap<ObjectKey, ObjectNode> next = new TreeMap<>(committed);
            long seenBefore = revision;
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                long rev = kv.getModRevision();
                if (rev <= seenBefore) {
                    continue; // already seen (a resumed watch may repeat)
                }
                ObjectKey key = keyOf(kv.getKey());
                Change change;
                if (event.getEventType() == WatchEvent.EventType.DELETE) {
                    ObjectNode last = next.remove(key);
                    if (last == null) {
                        continue;
                    }
                    Objects.metadata(last).put("resourceVersion", Long.toString(rev));
                    change = new Change(rev, ChangeType.DELETED, key, last);
                    Long size = sizes.remove(key);
                    usage = new StoreUsage(usage.objects() - 1, usage.bytes() - (size == null ? 0 : size));
                } else {
                    ObjectNode object = objectOf(kv);
                    ObjectNode previous = next.put(key, object);
                    change = new Change(rev, previous == null ? ChangeType.ADDED : ChangeType.MODIFIED, key, object);
                    long size = ObjectSize.of(object);
                    Long before = sizes.put(key, size);
                    usage = new StoreUsage(usage.objects() + (before == null ? 1 : 0), usage.bytes() + size - (before == null ? 0 : before));
                }
                committed = next;
                revision = Math.max(revision, rev);
                publish(change);
            }
            committed = next;
            advanced.signalAll();
        } catch (RuntimeException e) {
            LOG.errorf(e, "etcd store: cannot apply a watch event under %s", prefix);
        } finally {
            cacheLock.unlock();
        }
    }

    /** jetcd resumes a broken watch itself; only a compacted one ends here: list again, watch on. */
    private void onFeedError(Throwable error) {
        if (closed) {
            return;
        }
        LOG.warnf("etcd store: the watch on %s ended (%s); listing again", prefix, error.toString());
        try {
            Watch.Watcher old = feed;
            if (old != null) {
                old.close();
            }
            startFeed(relist());
        } catch (RuntimeException e) {
            LOG.errorf(e, "etcd store: cannot list %s again", prefix);
        }
    }

    /** Under cacheLock: remembers the change for resuming watches and hands it to the live ones. */
    private void publish(Change change) {
        recent.addLast(change);
        while (recent.size() > retainedChanges) {
            long dropped = recent.removeFirst().revision();
            recentFloor = dropped;
            while (!recent.isEmpty() && recent.peekFirst().revision() == dropped) {
                recent.removeFirst();
            }
        }
        for (Subscription s : watchers) {
            s.deliver(change);
        }
    }

    public StoreUsage usage() {
        return usage;
    }

    @Override
    public AutoCloseable watch(Kind kind, long fromRevision, Consumer<Change> listener) {
        Subscription sub = new Subscription(kind, listener);
        cacheLock.lock();
        try {
            if (fromRevision == 0) {
                committed.forEach((k, o) -> sub.deliver(new Change(Objects.resourceVersion(o), ChangeType.ADDED, k, o)));
            } else if (fromRevision < revision) {
                if (fromRevision >= recentFloor) {
                    recent.stream().filter(c -> c.revision() > fromRevision).forEach(sub::deliver);
                } else {
                    diff(objectsAt(fromRevision), committed, revision).forEach(sub::deliver);
                }
            }
            watchers.add(sub);
        } finally {
            cacheLock.unlock();
        }
        return () -> watchers.remove(sub);
    }

    /** Every object as etcd had it at a past revision; "too old" once etcd compacted it away. */
    private Map<ObjectKey, ObjectNode> objectsAt(long at) {
        if (at <= compactedAt) {
            throw tooOld(at);
        }
        try {
            GetResponse then = call(client.getKVClient().get(prefixBytes, GetOption.builder().isPrefix(true).withRevision(at).build()));
            Map<ObjectKey, ObjectNode> objects = new TreeMap<>();
            for (KeyValue kv : then.getKvs()) {
                objects.put(keyOf(kv.getKey()), objectOf(kv));
            }
            return objects;
        } catch (StoreException e) {
            if (String.valueOf(e.getMessage()).contains("compacted")) {
                throw tooOld(at);
            }
            throw e;
        }
    }

    private static StoreException tooOld(long at) {
        return new StoreException(StoreException.Reason.EXPIRED, "too old resource version: " + at
                + " (etcd has compacted it); list again and watch from the list's revision");
    }

    /** The changes that turn {@code before} into {@code after}, as one relist would see them. */
    private static List<Change> diff(Map<ObjectKey, ObjectNode> before, Map<ObjectKey, ObjectNode> after, long now) {
        List<Change> changes = new ArrayList<>();
        after.forEach((key, o) -> {
            ObjectNode old = before.get(key);
            if (old == null) {
                changes.add(new Change(Objects.resourceVersion(o), ChangeType.ADDED, key, o));
            } else if (Objects.resourceVersion(old) != Objects.resourceVersion(o)) {
                changes.add(new Change(Objects.resourceVersion(o), ChangeType.MODIFIED, key, o));
            }
        });
        before.forEach((key, o) -> {
            if (!after.containsKey(key)) {
                ObjectNode tombstone = o.deepCopy();
                Objects.metadata(tombstone).put("resourceVersion", Long.toString(now));
                changes.add(new Change(now, ChangeType.DELETED, key, tombstone));
            }
        });
        changes.sort(Comparator.comparingLong(Change::revision));
        return changes;
    }

    @Override
    protected <T> T write(boolean dryRun, StoreLimits.WriteBudget budget, Function<WriteBatch, T> work) {
        writeLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                Map<ObjectKey, ObjectNode> snapshot;
                long rev;
                Map<ObjectKey, Long> sizesNow;
                StoreUsage usageNow;
                cacheLock.lock();
                try {
                    snapshot = committed;
                    rev = revision;
                    sizesNow = new HashMap<>(sizes);
                    usageNow = usage;
                } finally {
                    cacheLock.unlock();
                }
                WriteBatch batch = new WriteBatch(snapshot, rev);
                T result = work.apply(batch);
                if (batch.changes().isEmpty()) {
                    return result;
                }
                limits.check(usageNow, usageAfter(batch, sizesNow, usageNow, new java.util.HashMap<>()), budget);
                if (batch.staged().size() > MAX_TXN_OPS) {
                    throw new StoreException(StoreException.Reason.INVALID, "one write of " + batch.staged().size()
                            + " objects is more than etcd takes in one transaction (--max-txn-ops, default " + MAX_TXN_OPS
                            + "); apply them in smaller batches");
                }
                if (dryRun) {
                    return result;
                }
                TxnResponse response = commit(batch, snapshot);
                long committedAt = response.getHeader().getRevision();
                if (response.isSucceeded()) {
                    awaitRevision(committedAt);
                    restamp(result, batch.staged().keySet(), committedAt);
                    compactIfDue(committedAt);
                    return result;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new StoreException(StoreException.Reason.CONFLICT, "the store is too busy: " + attempt
                            + " attempts lost to other writers; try again");
                }
                awaitKeys(response, batch);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** One etcd transaction: if every touched key is as we read it, write them all. */
    private TxnResponse commit(WriteBatch batch, Map<ObjectKey, ObjectNode> read) {
        List<Cmp> guards = new ArrayList<>();
        List<Op> writes = new ArrayList<>();
        List<Op> reads = new ArrayList<>();
        for (Map.Entry<ObjectKey, Optional<ObjectNode>> e : batch.staged().entrySet()) {
            ByteSequence key = keyBytes(e.getKey());
            ObjectNode before = read.get(e.getKey());
            guards.add(before == null
                    ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                    : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(Objects.resourceVersion(before))));
            writes.add(e.getValue().isPresent()
                    ? Op.put(key, body(e.getValue().get()), PutOption.DEFAULT)
                    : Op.delete(key, DeleteOption.DEFAULT));
            reads.add(Op.get(key, GetOption.builder().withKeysOnly(true).build()));
        }
        return call(client.getKVClient().txn()
                .If(guards.toArray(Cmp[]::new))
                .Then(writes.toArray(Op[]::new))
                .Else(reads.toArray(Op[]::new))
                .commit());
    }

    /** After a lost race: wait until the cache shows each touched key as etcd has it now. */
    private void awaitKeys(TxnResponse failed, WriteBatch batch) {
        List<ObjectKey> keys = new ArrayList<>(batch.staged().keySet());
        Map<ObjectKey, Long> stored = new HashMap<>();
        List<GetResponse> gets = failed.getGetResponses();
        for (int i = 0; i < keys.size() && i < gets.size(); i++) {
            List<KeyValue> kvs = gets.get(i).getKvs();
            stored.put(keys.get(i), kvs.isEmpty() ? 0L : kvs.get(0).getModRevision());
        }
        awaitCache(() -> stored.entrySet().stream().allMatch(e -> {
            ObjectNode cached = committed.get(e.getKey());
            return e.getValue() == 0 ? cached == null : cached != null && Objects.resourceVersion(cached) >= e.getValue();
        }));
    }

    private void awaitRevision(long at) {
        awaitCache(() -> revision >= at);
    }

    private void awaitCache(java.util.function.BooleanSupplier caughtUp) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
        cacheLock.lock();
        try {
            while (!caughtUp.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StoreException(StoreException.Reason.UNAVAILABLE,
                            "the etcd watch has not caught up within " + CATCH_UP_TIMEOUT_MS / 1000 + " s; try again");
                }
                advanced.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted while waiting for etcd");
        } finally {
            cacheLock.unlock();
        }
    }

    /** Objects written in one transaction all carry its revision; the batch stamped guesses. */
    private static void restamp(Object result, java.util.Set<ObjectKey> touched, long at) {
        if (result instanceof ObjectNode o) {
            if (touched.contains(Objects.key(o))) {
                Objects.metadata(o).put("resourceVersion", Long.toString(at));
            }
        } else if (result instanceof Optional<?> opt) {
            opt.ifPresent(v -> restamp(v, touched, at));
        } else if (result instanceof ApplyResult r) {
            restamp(r.object(), touched, at);
        } else if (result instanceof List<?> list) {
            list.forEach(v -> restamp(v, touched, at));
        }
    }

    /** Keeps etcd's history to about {@code retainedChanges} revisions, as kube-apiserver compacts. */
    private void compactIfDue(long at) {
        long target = at - retainedChanges;
        if (target > compactedAt && target - compactedAt >= Math.max(1, retainedChanges / 10)) {
            compactedAt = target;
            client.getKVClient().compact(target).exceptionally(e -> {
                LOG.debugf("etcd store: compaction at %d: %s", target, e.toString());
                return null;
            });
        }
    }

    private ByteSequence keyBytes(ObjectKey key) {
        return bytes(prefix + key.kind().kindName() + "/" + key.name());
    }

    private ObjectKey keyOf(ByteSequence key) {
        String k = key.toString(StandardCharsets.UTF_8).substring(prefix.length());
        int slash = k.indexOf('/');
        Kind kind = Kind.fromKindName(k.substring(0, slash))
                .orElseThrow(() -> new IllegalStateException("unknown kind in etcd key " + prefix + k));
        return new ObjectKey(kind, k.substring(slash + 1));
    }

    /** The stored body carries no resourceVersion: the key's mod revision is it. */
    private static ObjectNode objectOf(KeyValue kv) {
        ObjectNode o = Json.parseObject(kv.getValue().toString(StandardCharsets.UTF_8));
        Objects.metadata(o).put("resourceVersion", Long.toString(kv.getModRevision()));
        return o;
    }

    private static ByteSequence body(ObjectNode o) {
        ObjectNode copy = o.deepCopy();
        Objects.metadata(copy).remove("resourceVersion");
        return bytes(Json.write(copy));
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Waits for an etcd call; its failure is a StoreException naming etcd's own message. */
    static <T> T call(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "etcd: " + cause.getMessage());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "etcd did not answer within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted while waiting for etcd");
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch.Watcher w = feed;
        if (w != null) {
            w.close();
        }
    }

}
