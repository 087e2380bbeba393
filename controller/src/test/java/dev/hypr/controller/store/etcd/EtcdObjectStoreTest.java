package dev.hypr.controller.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecord;
import dev.hypr.controller.store.Change;
import dev.hypr.controller.store.ChangeType;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import dev.hypr.controller.store.StoreLimits;
import io.etcd.jetcd.Client;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only a shared store shows: two hyprd (two stores on one etcd prefix) writing at once. */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EtcdObjectStoreTest {
    private static EtcdServer etcd;
    private static Client client;
    private static int prefixes;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdServer.start();
        client = etcd.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        etcd.close();
    }

    private static EtcdObjectStore open(String prefix) {
        return new EtcdObjectStore(client, prefix, Clock.systemUTC(), StoreLimits.NONE, 1000);
    }

    private static ObjectNode vm(String name) {
        return Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"rootfs\":\"/r\",\"memoryMiB\":256}}");
    }

    @Test
    void aWriteOfOneNodeIsSeenByTheOtherAndAStaleRevisionIsAConflict() throws Exception {
        String prefix = "/two-" + ++prefixes;
        try (EtcdObjectStore a = open(prefix); EtcdObjectStore b = open(prefix)) {
            List<Change> seenByB = new CopyOnWriteArrayList<>();
            try (AutoCloseable w = b.watch(Kind.VM, b.revision(), seenByB::add)) {
                ObjectNode created = a.apply(List.of(vm("web")), false).get(0).object();
                long rv = Objects.resourceVersion(created);
                awaitTrue(() -> b.get(Kind.VM, "web").isPresent());
                assertEquals(rv, Objects.resourceVersion(b.get(Kind.VM, "web").orElseThrow()), "resourceVersion is etcd's mod revision");
                awaitTrue(() -> seenByB.size() == 1);
                assertEquals(ChangeType.ADDED, seenByB.get(0).type());

                b.updateStatus(Kind.VM, "web", Json.parseObject("{\"phase\":\"Running\"}"), rv);
                StoreException e = assertThrows(StoreException.class,
                        () -> a.updateStatus(Kind.VM, "web", Json.parseObject("{\"phase\":\"Failed\"}"), rv));
                assertEquals(StoreException.Reason.CONFLICT, e.reason());
                assertEquals("Running", a.get(Kind.VM, "web").orElseThrow().path("status").path("phase").asText(),
                        "the losing write changed nothing, and A read B's write after the conflict");
            }
        }
    }

    @Test
    void concurrentReadModifyWritesFromTwoStoresLoseNoUpdate() throws Exception {
        String prefix = "/race-" + ++prefixes;
        try (EtcdObjectStore a = open(prefix); EtcdObjectStore b = open(prefix)) {
            a.apply(List.of(vm("counter")), false);
            awaitTrue(() -> b.get(Kind.VM, "counter").isPresent());
            int perStore = 25;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (EtcdObjectStore s : List.of(a, b, a, b)) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perStore; i++) {
                            incrementWithRetry(s);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(4, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            awaitTrue(() -> count(b) == 4 * perStore);
            assertEquals(4 * perStore, count(a));
        }
    }

    private static int count(EtcdObjectStore s) {
        return s.get(Kind.VM, "counter").orElseThrow().path("status").path("count").asInt();
    }

    /** A controller's read-modify-write: read, write with the revision read, on conflict read again. */
    private static void incrementWithRetry(EtcdObjectStore s) {
        while (true) {
            ObjectNode current = s.get(Kind.VM, "counter").orElseThrow();
            int n = current.path("status").path("count").asInt();
            try {
                s.updateStatus(Kind.VM, "counter", Json.MAPPER.createObjectNode().put("count", n + 1), Objects.resourceVersion(current));
                return;
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.CONFLICT) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aWatchFromACompactedRevisionIsTooOldEvenForAFreshStore() throws Exception {
        String prefix = "/compact-" + ++prefixes;
        try (EtcdObjectStore a = open(prefix)) {
            a.apply(List.of(vm("x")), false);
            long old = a.revision();
            a.apply(List.of(vm("y")), false);
            etcd.compact();
            try (EtcdObjectStore fresh = open(prefix)) {
                StoreException e = assertThrows(StoreException.class, () -> fresh.watch(null, old - 1, c -> { }));
                assertEquals(StoreException.Reason.EXPIRED, e.reason());
                assertTrue(e.getMessage().contains("too old"), e.getMessage());
            }
        }
    }

    @Test
    void eventsFoldRepeatsListInSequenceOrderAndPrune() {
        EtcdEventLog log = new EtcdEventLog(client, "/events-" + ++prefixes);
        java.time.Instant t = java.time.Instant.parse("2024-01-01T00:00:00Z");
        log.append(List.of(event(1, "web", "VMMExited", t, 1), event(2, "db", "Booted", t, 1)));
        log.append(List.of(new EventRecord(3, "VM", "web", EventRecord.Type.Warning, "VMMExited", "msg VMMExited", t,
                t.plusSeconds(5), 2)));
        assertEquals(List.of(2L, 3L), log.list().stream().map(EventRecord::sequence).toList());
        EventRecord web = log.list("VM", "web").get(0);
        assertEquals(2, web.count());
        assertEquals(t, web.firstSeen());
        assertEquals(t.plusSeconds(5), web.lastSeen());
        assertTrue(log.list("Network", "web").isEmpty());
        log.append(List.of(event(4, "late", "Booted", t.plusSeconds(60), 1)));
        assertEquals(2, log.prune(t.plusSeconds(1), 1), "db is older than the cutoff; of web and late only the newest stays");
        assertEquals(List.of("late"), log.list().stream().map(EventRecord::name).toList());
    }

    private static EventRecord event(long seq, String name, String reason, java.time.Instant at, int count) {
        return new EventRecord(seq, "VM", name, EventRecord.Type.Warning, reason, "msg " + reason, at, at, count);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 2 minutes");
            }
            Thread.sleep(10); // polling a condition
        }
    }
}
