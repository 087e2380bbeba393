package dev.hypr.controller.events;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records events, folds repeats (count + last seen) and keeps them for a while, as the API
 * server does: at most {@link EventRetention#maxEvents()}, none older than its TTL. The kept
 * events are held in memory (reads and subscriptions never touch the disk, as the store's watch
 * cache) and written through to an {@link EventLog} by {@link EventWriter}'s thread, from which
 * a restarted hyprd loads them: {@code describe} still says why a VM crashed before the restart.
 * Subscribers get each event as it is recorded.
 *
 * <p>Messages are shown to every API client and kept on disk: callers pass reasons and
 * hyprd's own words, never values from a spec (env, args), which may be secrets.
 */
@Singleton
public class EventRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private final Clock clock;
    private final EventRetention retention;
    private final EventWriter writer;
    /** In sequence order: a repeat is removed and re-put, so it moves to the newest end. */
    private final Map<EventRecord.Key, EventRecord> byKey = new LinkedHashMap<>();
    private final List<Consumer<EventRecord>> subscribers = new CopyOnWriteArrayList<>();
    private long sequence;

    /** In memory only: for tests and tools that have no store. */
    public EventRecorder() {
        this(Clock.systemUTC());
    }

    public EventRecorder(Clock clock) {
        this(new InMemoryEventLog(), EventRetention.DEFAULT, clock);
    }

    @Inject
    public EventRecorder(EventLog log,
            @ConfigProperty(name = "hypr.events.max", defaultValue = "1000") int maxEvents,
            @ConfigProperty(name = "hypr.events.ttl", defaultValue = "1h") Duration ttl) {
        this(log, new EventRetention(maxEvents, ttl), Clock.systemUTC());
    }

    public EventRecorder(EventLog log, EventRetention retention, Clock clock) {
        this.clock = clock;
        this.retention = retention;
        this.writer = new EventWriter(log, retention, clock);
        load(log);
    }

    /** The events of the previous run, within the bounds; a log that cannot be read starts empty. */
    private void load(EventLog log) {
        try {
            log.prune(clock.instant().minus(retention.ttl()), retention.maxEvents());
            for (EventRecord e : log.list()) {
                byKey.put(e.key(), e);
                sequence = Math.max(sequence, e.sequence());
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the event log; events from before this start are not shown: %s", e.getMessage());
        }
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
            Instant now = clock.instant();
            EventRecord.Key key = new EventRecord.Key(kind, name, type, reason, message == null ? "" : message);
            EventRecord previous = byKey.remove(key);
            stored = previous == null || expired(previous, now)
                    ? new EventRecord(++sequence, kind, name, type, reason, key.message(), now, now, 1)
                    : previous.repeated(++sequence, now);
            byKey.put(key, stored);
            dropBeyondBounds(now);
            writer.enqueue(stored); // in sequence order, under the lock
        }
        subscribers.forEach(s -> s.accept(stored));
        return stored;
    }

    /** The events kept now that match, oldest first. */
    public synchronized List<EventRecord> list(Predicate<EventRecord> filter) {
        dropBeyondBounds(clock.instant());
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

    /** Waits (bounded) until every event recorded so far is in the log; true when it is. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout.toMillis());
    }

    /** On shutdown: what is still queued is written first. */
    @PreDestroy
    @Override
    public void close() throws InterruptedException {
        writer.close();
    }

    private boolean expired(EventRecord e, Instant now) {
        return e.lastSeen().isBefore(now.minus(retention.ttl()));
    }

    /** Oldest first: the head is the least recently seen, so drop from there. */
    private void dropBeyondBounds(Instant now) {
        Iterator<EventRecord> oldest = byKey.values().iterator();
        while (oldest.hasNext()) {
            EventRecord e = oldest.next();
            if (byKey.size() > retention.maxEvents() || expired(e, now)) {
                oldest.remove();
            } else {
                return;
            }
        }
    }
}
