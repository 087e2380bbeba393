package dev.hypr.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Any error a reconciler throws ends on the object: a condition and a Warning event, gone after a success. */
@Timeout(30)
class ReconcileErrorsTest {
    private final CachedObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private ControllerRunner runner;

    /** A controller whose reconcile throws whatever the test sets, and succeeds once it is cleared. */
    private final class Flaky implements Reconciler {
        private final String name;
        private final String condition;

        Flaky(String name, String condition) {
            this.name = name;
            this.condition = condition;
        }

        @Override
        public Kind kind() {
            return Kind.VM;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String errorCondition() {
            return condition;
        }

        @Override
        public Result reconcile(String key) throws Exception {
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
            return Result.done();
        }
    }

    private void start(Reconciler r) {
        store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"rootfs\":\"/r\"}}")), false);
        ReconcileErrors errors = new ReconcileErrors(store,
                (kind, name, reason, message) -> warnings.add(kind + "/" + name + " " + reason + ": " + message), Clock.systemUTC());
        runner = new ControllerRunner(r, store, new SimpleMeterRegistry(), Duration.ofMillis(20), Duration.ofMillis(200), errors);
        runner.start();
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    private JsonNode awaitStatus(Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = store.get(Kind.VM, "web").orElseThrow().path("status");
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("status not as expected: " + status);
    }

    @Test
    void aFailingReconcileSetsTheConditionAndAnEventAndASuccessClearsIt() throws Exception {
        failure.set(new java.io.UncheckedIOException(new NoSuchFileException("/srv/root/etc/resolv.conf")));
        start(new Flaky("vm", Reconciler.ERROR_CONDITION));
        JsonNode status = awaitStatus(s -> Conditions.isTrue(s, "ReconcileError"));
        JsonNode c = Conditions.get(status, "ReconcileError").orElseThrow();
        assertEquals("ReconcileFailed", c.path("reason").asText());
        assertEquals("vm controller: NoSuchFileException: /srv/root/etc/resolv.conf (retrying with back-off)", c.path("message").asText());
        assertEquals(List.of("VM/web ReconcileFailed: " + c.path("message").asText()), warnings);
        // back-off keeps retrying; an unchanged failure rewrites nothing and records no second event
        awaitRetries(3);
        assertEquals(1, warnings.size(), warnings.toString());

        failure.set(null);
        runner.enqueue("web");
        awaitStatus(s -> Conditions.get(s, "ReconcileError").isEmpty());
    }

    @Test
    void aTerminalFailureSaysItIsNotRetriedAndEachControllerHasItsOwnCondition() throws Exception {
        failure.set(new TerminalException("spec.rootfs is a fifo"));
        start(new Flaky("forward", "ForwardsReconcileError"));
        JsonNode status = awaitStatus(s -> Conditions.isTrue(s, "ForwardsReconcileError"));
        assertEquals("forward controller: spec.rootfs is a fifo (not retried until the object changes)",
                Conditions.get(status, "ForwardsReconcileError").orElseThrow().path("message").asText());
        assertTrue(Conditions.get(status, "ReconcileError").isEmpty());
    }

    private void awaitRetries(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (runner.queue().failures("web") < n) {
            assertTrue(System.nanoTime() < deadline, "retried " + runner.queue().failures("web") + " times");
            Thread.sleep(20);
        }
    }
}
