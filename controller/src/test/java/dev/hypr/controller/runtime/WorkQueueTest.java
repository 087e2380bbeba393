package dev.hypr.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final WorkQueue q = new WorkQueue(Duration.ofMillis(10), Duration.ofMillis(200));

    @Test
    void deduplicatesKeysWaitingToBeProcessed() throws Exception {
        q.add("a");
        q.add("a");
        q.add("b");
        assertEquals(2, q.length());
        assertEquals("a", q.take());
        assertEquals("b", q.take());
    }

    @Test
    void aKeyIsNeverProcessedTwiceAtOnceButComesBackIfChangedMeanwhile() throws Exception {
        q.add("a");
        assertEquals("a", q.take());
        q.add("a"); // changed while processing
        assertEquals(0, q.length(), "not handed out while processing");
        q.done("a");
        assertEquals("a", q.take());
    }

    @Test
    void failuresBackOffExponentiallyWithACapAndForgetResets() {
        assertEquals(Duration.ofMillis(10), q.addRateLimited("a"));
        assertEquals(Duration.ofMillis(20), q.addRateLimited("a"));
        assertEquals(Duration.ofMillis(40), q.addRateLimited("a"));
        for (int i = 0; i < 40; i++) {
            q.addRateLimited("a");
        }
        assertEquals(Duration.ofMillis(200), q.addRateLimited("a"));
        q.forget("a");
        assertEquals(Duration.ofMillis(10), q.addRateLimited("a"));
    }

    @Test
    void delayedKeysArriveAfterTheirDelay() throws Exception {
        long start = System.nanoTime();
        q.addAfter("later", Duration.ofMillis(150));
        assertEquals("later", q.take());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140));
    }

    @Test
    void aKeyHasOneDelayedTimerTheEarliest() throws Exception {
        q.addAfter("poll", Duration.ofMillis(300));
        q.addAfter("poll", Duration.ofMillis(50)); // earlier: replaces the 300 ms timer
        q.addAfter("poll", Duration.ofMillis(100)); // later: dropped
        long start = System.nanoTime();
        assertEquals("poll", q.take());
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(250));
        q.done("poll");
        CompletableFuture<String> again = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                return null;
            }
        });
        Thread.sleep(500);
        assertTrue(!again.isDone(), "no second (or third) timer may fire: got " + again.getNow(null));
        q.shutDown();
    }

    @Test
    void shutDownReleasesWaitingWorkers() throws Exception {
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        q.shutDown();
        assertNull(taken.get(5, TimeUnit.SECONDS));
    }

    @Test
    void conditionTransitionTimeMovesOnlyWhenStatusFlips() {
        ObjectNode status = Json.MAPPER.createObjectNode();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Conditions.set(status, "Ready", false, "Starting", "booting", 1, t0);
        Conditions.set(status, "Ready", false, "Starting", "still booting", 1, t0.plusSeconds(5));
        assertEquals("2026-01-01T00:00:00Z", Conditions.get(status, "Ready").orElseThrow().path("lastTransitionTime").asText());
        Conditions.set(status, "Ready", true, "Running", "", 1, t0.plusSeconds(9));
        assertEquals("2026-01-01T00:00:09Z", Conditions.get(status, "Ready").orElseThrow().path("lastTransitionTime").asText());
        assertTrue(Conditions.isTrue(status, "Ready"));
        assertEquals(1, status.path("conditions").size());
    }
}
