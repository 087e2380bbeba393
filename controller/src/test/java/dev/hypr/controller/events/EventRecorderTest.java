package dev.hypr.controller.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
    private final EventRecorder events = new EventRecorder(Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void repeatsAreFoldedIntoOneEventWithACount() {
        events.warning("VM", "web", "BackOff", "back-off 2s");
        events.normal("VM", "db", "Booted", "booted");
        events.warning("VM", "web", "BackOff", "back-off 2s");
        List<EventRecord> all = events.list(e -> true);
        assertEquals(2, all.size());
        assertEquals("db", all.get(0).name());
        assertEquals(2, all.get(1).count(), "the repeat moved to the newest end with count 2");
        assertEquals(3, all.get(1).sequence());
    }

    @Test
    void keepsOnlyTheNewest() {
        for (int i = 0; i < EventRetention.DEFAULT.maxEvents() + 5; i++) {
            events.normal("VM", "vm" + i, "Booted", "booted");
        }
        List<EventRecord> all = events.list(e -> true);
        assertEquals(EventRetention.DEFAULT.maxEvents(), all.size());
        assertEquals("vm5", all.get(0).name());
    }

    @Test
    void subscribersGetTheMissedAndTheNew() throws Exception {
        events.normal("VM", "a", "Booted", "1");
        events.normal("VM", "b", "Booted", "2");
        List<String> seen = new ArrayList<>();
        try (AutoCloseable sub = events.subscribe(1, e -> seen.add(e.name()))) {
            events.normal("VM", "c", "Booted", "3");
        }
        events.normal("VM", "d", "Booted", "4");
        assertEquals(List.of("b", "c"), seen);
    }

    @Test
    void filtersByObject() {
        events.normal("VM", "a", "Booted", "1");
        events.normal("Network", "a", "Created", "1");
        assertEquals(1, events.list(e -> e.kind().equals("VM") && e.name().equals("a")).size());
    }
}
