package dev.hypr.controller.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The newest {@value #CAPACITY} events in memory, as the API server keeps events for a while
 * only: they explain recent history and are not state, so losing them with hyprd is fine
 * (status and conditions survive in the store). Subscribers get each event as it is recorded.
 */
@ApplicationScoped
public class EventRecorder {
    static final int CAPACITY = 1000;

    private final Clock clock;
    private final Map<EventRecord.Key, EventRecord> byKey = new LinkedHashMap<>();
    private final List<Consumer<EventRecord>> subscribers = new CopyOnWriteArrayList<>();
    private long sequence;

    public EventRecorder() {
        this(Clock.systemUTC());
    }

    public EventRecorder(Clock clock) {
        this.clock = clock;
    }

    public void normal(String kind, String name, String reason, String message) {
        record(kind, name, EventRecord.Type.Normal, reason, message);
    }

    public void warning(String kind, String name, String reason, String message) {
        record(kind, name, EventRecord.Type.Warning, reason, message);
    }

    /** Records an event, or bumps the count of the same event seen before; returns what was stored. */
    public EventRecord record(String kind, String name, EventRecord.Type type, String reason, String message) {
        EventRecord stored;
        synchronized (this) {
            EventRecord.Key key = new EventRecord.Key(kind, name, type, reason, message);
            // removed and re-put, so a repeat moves to the newest end of the history
            EventRecord previous = byKey.remove(key);
            stored = previous == null
                    ? new EventRecord(++sequence, kind, name, type, reason, message, clock.instant(), clock.instant(), 1)
                    : previous.repeated(++sequence, clock.instant());
            byKey.put(key, stored);
            if (byKey.size() > CAPACITY) {
                byKey.remove(byKey.keySet().iterator().next());
            }
        }
        subscribers.forEach(s -> s.accept(stored));
        return stored;
    }

    /** The events kept now that match, oldest first. */
    public synchronized List<EventRecord> list(Predicate<EventRecord> filter) {
        List<EventRecord> out = new ArrayList<>();
        for (EventRecord e : byKey.values()) {
            if (filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Calls {@code subscriber} with every kept event after {@code afterSequence} (none for 0),
     * then with each new one until the returned handle is closed. Called on the recording thread.
     */
    public AutoCloseable subscribe(long afterSequence, Consumer<EventRecord> subscriber) {
        synchronized (this) {
            if (afterSequence > 0) {
                byKey.values().stream().filter(e -> e.sequence() > afterSequence).forEach(subscriber);
            }
            subscribers.add(subscriber);
        }
        return () -> subscribers.remove(subscriber);
    }
}
