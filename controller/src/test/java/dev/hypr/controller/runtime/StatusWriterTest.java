package dev.hypr.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import dev.hypr.controller.store.Objects;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two controllers writing their own status fields of one object lose nothing of each other's. */
@Timeout(60)
class StatusWriterTest {
    private static final List<String> VM_FIELDS = List.of("phase", "restartCount");
    private static final List<String> VM_CONDITIONS = List.of("Ready");
    private static final List<String> FORWARD_FIELDS = List.of("forwards");
    private static final List<String> FORWARD_CONDITIONS = List.of("ForwardsReady");

    private final CachedObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
    private final StatusWriter writer = new StatusWriter(store);

    StatusWriterTest() {
        store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"rootfs\":\"/r\"}}")), false);
    }

    private ObjectNode status() {
        return (ObjectNode) store.get(Kind.VM, "web").orElseThrow().get("status");
    }

    /** The VM controller's write: counts its own restarts and sets Ready, built from {@code read}. */
    private static ObjectNode vmStatus(ObjectNode read, int restarts) {
        ObjectNode s = read.deepCopy();
        s.put("phase", "Running").put("restartCount", restarts);
        Conditions.set(s, "Ready", true, "WorkloadRunning", "restart " + restarts, 1, Instant.now());
        return s;
    }

    @Test
    void aWriteBetweenReadAndWriteIsKeptAndOurFieldsReapplied() {
        writer.update(Kind.VM, "web", s -> s.put("phase", "Starting"));
        ObjectNode read = status();
        // The Forward controller writes after the VM controller read, before it writes.
        writer.update(Kind.VM, "web", s -> s.putArray("forwards").addObject().put("hostPort", 8080));
        ObjectNode mine = vmStatus(read, 1);
        int[] calls = {0};
        writer.update(Kind.VM, "web", fresh -> {
            calls[0]++;
            StatusFields.copy(mine, fresh, VM_FIELDS, VM_CONDITIONS);
        });
        assertEquals(1, calls[0], "no conflict: the writer read the latest status itself");
        ObjectNode now = status();
        assertEquals(8080, now.path("forwards").path(0).path("hostPort").asInt(), "the Forward controller's field survives");
        assertEquals("Running", now.path("phase").asText());
        assertTrue(Conditions.isTrue(now, "Ready"));
    }

    @Test
    void aConflictRereadsAndReappliesOnlyOurFields() {
        int[] calls = {0};
        writer.update(Kind.VM, "web", fresh -> {
            calls[0]++;
            if (calls[0] == 1) {
                // another controller commits while we compute: our write must conflict, not overwrite it
                new StatusWriter(store).update(Kind.VM, "web", s -> s.putArray("forwards").addObject().put("hostPort", 80));
            }
            fresh.put("phase", "Running");
        });
        assertEquals(2, calls[0], "re-applied once after the conflict");
        assertEquals(80, status().path("forwards").path(0).path("hostPort").asInt());
        assertEquals("Running", status().path("phase").asText());
    }

    @Test
    void theOldUnconditionalWriteLosesTheOtherControllersField() {
        // The scenario of the test above, written the way VmReconciler used to: a whole status
        // built from what it read, stored with expectedRevision 0. Shows the test can fail.
        ObjectNode read = store.get(Kind.VM, "web").orElseThrow().get("status") instanceof ObjectNode s ? s : Json.MAPPER.createObjectNode();
        writer.update(Kind.VM, "web", s -> s.putArray("forwards").addObject().put("hostPort", 8080));
        store.updateStatus(Kind.VM, "web", vmStatus(read, 1), 0);
        assertFalse(status().has("forwards"), "the unconditional write dropped the Forward controller's field");
    }

    @Test
    void twoControllersWritingConcurrentlyLoseNoUpdate() throws Exception {
        int iterations = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            // Each increments a counter in its own fields from the value it reads: a lost update
            // (one writer storing the other's field from a stale copy) makes a count come up short.
            Future<?> vm = pool.submit(() -> {
                go.await();
                for (int i = 0; i < iterations; i++) {
                    ObjectNode read = status() == null ? Json.MAPPER.createObjectNode() : status();
                    ObjectNode mine = vmStatus(read, read.path("restartCount").asInt(0) + 1);
                    writer.update(Kind.VM, "web", fresh -> StatusFields.copy(mine, fresh, VM_FIELDS, VM_CONDITIONS));
                }
                return null;
            });
            Future<?> forward = pool.submit(() -> {
                go.await();
                for (int i = 0; i < iterations; i++) {
                    writer.update(Kind.VM, "web", s -> {
                        int n = s.path("forwards").path(0).path("hostPort").asInt(0) + 1;
                        s.putArray("forwards").addObject().put("hostPort", n);
                        Conditions.set(s, "ForwardsReady", true, "Exposed", n + " writes", 1, Instant.now());
                    });
                }
                return null;
            });
            go.countDown();
            vm.get(50, TimeUnit.SECONDS);
            forward.get(50, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        ObjectNode s = status();
        assertEquals(iterations, s.path("restartCount").asInt(), "VM controller's writes");
        assertEquals(iterations, s.path("forwards").path(0).path("hostPort").asInt(), "Forward controller's writes");
        assertEquals(iterations + " writes", Conditions.get(s, "ForwardsReady").orElseThrow().path("message").asText());
        assertTrue(Conditions.isTrue(s, "Ready"));
        assertEquals(Set.of("Ready", "ForwardsReady"), Set.copyOf(s.path("conditions").findValuesAsText("type")));
        assertTrue(Objects.resourceVersion(store.get(Kind.VM, "web").orElseThrow()) > iterations, "both wrote");
    }
}
