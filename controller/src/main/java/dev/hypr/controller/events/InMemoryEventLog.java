package dev.hypr.controller.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The log in memory: unit tests, and the fall-back of a recorder made without a store. */
public final class InMemoryEventLog implements EventLog {
    private final Map<EventRecord.Key, EventRecord> byKey = new HashMap<>();

    @Override
    public synchronized void append(List<EventRecord> events) {
        events.forEach(e -> byKey.put(e.key(), e));
    }

    @Override
    public synchronized List<EventRecord> list() {
        return byKey.values().stream().sorted(Comparator.comparingLong(EventRecord::sequence)).toList();
    }

    @Override
    public List<EventRecord> list(String kind, String name) {
        return list().stream().filter(e -> e.kind().equals(kind) && e.name().equals(name)).toList();
    }

    @Override
    public synchronized int prune(Instant cutoff, int max) {
        int before = byKey.size();
        byKey.values().removeIf(e -> e.lastSeen().isBefore(cutoff));
        List<EventRecord> oldestFirst = new ArrayList<>(list());
        for (int i = 0; i < oldestFirst.size() - max; i++) {
            byKey.remove(oldestFirst.get(i).key());
        }
        return before - byKey.size();
    }
}
