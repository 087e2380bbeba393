package dev.hypr.controller.store;

import dev.hypr.controller.store.etcd.EtcdObjectStore;
import dev.hypr.controller.store.etcd.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A persistence the store's tests run against: each test class is parameterised with every
 * back-end ({@link #all()}), so SQLite's in-memory twin and a real etcd answer the same tests.
 */
public abstract class StoreBackend implements AutoCloseable {

    /** One test's empty store space: stores opened on it share its data. */
    public interface Space extends AutoCloseable {
        ObjectStore open(Clock clock, StoreLimits limits);

        /** The revision of the empty space: tests count their writes from it. */
        long base();

        /** The back-end's own newest revision (did a call write anything?). */
        long backendRevision();

        @Override
        void close();
    }

    /** A fresh space whose change history keeps {@code retainedChanges}. */
    public abstract Space newSpace(int retainedChanges);

    public static Stream<StoreBackend> all() {
        return Stream.of(new InMemory(), new Etcd());
    }

    @Override
    public void close() throws Exception {
    }

    static final class InMemory extends StoreBackend {
        @Override
        public Space newSpace(int retainedChanges) {
            InMemoryPersistence persistence = new InMemoryPersistence(retainedChanges);
            return new Space() {
                @Override
                public ObjectStore open(Clock clock, StoreLimits limits) {
                    return new CachedObjectStore(persistence, clock, limits);
                }

                @Override
                public long base() {
                    return 0;
                }

                @Override
                public long backendRevision() {
                    return persistence.loadRevision();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String toString() {
            return "in-memory (SQLite's semantics)";
        }
    }

    /** One etcd for the whole test class, started on first use; each space is its own key prefix. */
    static final class Etcd extends StoreBackend {
        private static final AtomicInteger SPACES = new AtomicInteger();
        private EtcdServer server;
        private Client client;

        private synchronized Client client() {
            if (server == null) {
                try {
                    server = EtcdServer.start();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start etcd", e);
                }
                client = server.client();
            }
            return client;
        }

        @Override
        public Space newSpace(int retainedChanges) {
            Client c = client();
            String prefix = "/hypr-test-" + SPACES.incrementAndGet() + "/";
            long base = revisionOf(c);
            List<EtcdObjectStore> opened = new ArrayList<>();
            return new Space() {
                @Override
                public ObjectStore open(Clock clock, StoreLimits limits) {
                    EtcdObjectStore store = new EtcdObjectStore(c, prefix, clock, limits, retainedChanges);
                    opened.add(store);
                    return store;
                }

                @Override
                public long base() {
                    return base;
                }

                @Override
                public long backendRevision() {
                    return revisionOf(c);
                }

                @Override
                public void close() {
                    opened.forEach(EtcdObjectStore::close);
                }
            };
        }

        private static long revisionOf(Client c) {
            try {
                return c.getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8)).get(1, TimeUnit.MINUTES).getHeader().getRevision();
            } catch (Exception e) {
                throw new IllegalStateException("etcd: " + e, e);
            }
        }

        @Override
        public synchronized void close() throws Exception {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        }

        @Override
        public String toString() {
            return "etcd";
        }
    }
}
