package dev.hypr.controller.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's bounds and its write-through to a log, against the in-memory log. */
class EventRetentionTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final InMemoryEventLog log = new InMemoryEventLog();

    @Test
    void eventsOlderThanTheTtlAreDroppedFromMemoryAndLog() throws Exception {
        EventRecorder events = new EventRecorder(log, new EventRetention(100, Duration.ofMinutes(10)), clock);
        events.warning("VM", "old", "VMMExited", "the VMM process exited unexpectedly");
        clock.advance(Duration.ofMinutes(6));
        events.normal("VM", "new", "Booted", "booted");
        clock.advance(Duration.ofMinutes(6));
        assertEquals(List.of("new"), events.list(e -> true).stream().map(EventRecord::name).toList(),
                "the first is 12 minutes old, beyond the 10 minute TTL");
        assertTrue(events.flush(Duration.ofSeconds(5)));
        log.prune(clock.instant().minus(Duration.ofMinutes(10)), 100); // the writer may have pruned already
        assertEquals(List.of("new"), log.list().stream().map(EventRecord::name).toList());
    }

    @Test
    void aRepeatAfterTheTtlStartsAFreshCount() {
        EventRecorder events = new EventRecorder(log, new EventRetention(100, Duration.ofMinutes(10)), clock);
        events.warning("VM", "web", "BackOff", "back-off 2s");
        events.warning("VM", "web", "BackOff", "back-off 2s");
        clock.advance(Duration.ofMinutes(11));
        EventRecord again = events.record("VM", "web", EventRecord.Type.Warning, "BackOff", "back-off 2s");
        assertEquals(1, again.count());
        assertEquals(clock.instant(), again.firstSeen());
    }

    @Test
    void aRestartedRecorderLoadsTheLogAndKeepsFolding() throws Exception {
        EventRecorder first = new EventRecorder(log, new EventRetention(100, Duration.ofHours(1)), clock);
        first.warning("VM", "web", "VMMExited", "the VMM process exited unexpectedly");
        first.normal("VM", "db", "Booted", "booted");
        first.warning("VM", "web", "VMMExited", "the VMM process exited unexpectedly");
        first.close(); // flushes

        clock.advance(Duration.ofMinutes(1));
        EventRecorder second = new EventRecorder(log, new EventRetention(100, Duration.ofHours(1)), clock);
        List<EventRecord> loaded = second.list(e -> true);
        assertEquals(List.of("db", "web"), loaded.stream().map(EventRecord::name).toList());
        assertEquals(2, loaded.get(1).count());
        EventRecord third = second.record("VM", "web", EventRecord.Type.Warning, "VMMExited",
                "the VMM process exited unexpectedly");
        assertEquals(3, third.count(), "folding continues across the restart");
        assertEquals(4, third.sequence(), "sequences continue after the loaded ones");
        assertTrue(second.flush(Duration.ofSeconds(5)));
        assertEquals(3, log.list("VM", "web").get(0).count());
        assertEquals(1, log.list("VM", "web").size());
    }

    @Test
    void aSmallerMaxAtStartKeepsOnlyTheNewest() throws Exception {
        EventRecorder first = new EventRecorder(log, new EventRetention(100, Duration.ofHours(1)), clock);
        for (int i = 0; i < 10; i++) {
            first.normal("VM", "vm" + i, "Booted", "booted");
        }
        first.close();
        EventRecorder second = new EventRecorder(log, new EventRetention(3, Duration.ofHours(1)), clock);
        assertEquals(List.of("vm7", "vm8", "vm9"), second.list(e -> true).stream().map(EventRecord::name).toList());
        assertEquals(3, log.list().size());
    }
}
