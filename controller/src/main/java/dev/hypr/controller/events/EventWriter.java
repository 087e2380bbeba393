package dev.hypr.controller.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes recorded events to the {@link EventLog} on its own thread, so recording costs a
 * reconcile one queue offer, never a disk sync. It writes as soon as something is queued (no
 * timer): an event recorded just before a crash is on disk a few milliseconds later. Events
 * that arrive while a write is running go together in the next one, so a burst costs a few
 * commits, not one each; repeats of one event in a batch are written once. A log that fails
 * loses those events with a warning: events explain history, they are not state.
 */
final class EventWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventWriter.class);
    /** Beyond this many unwritten events (a stuck disk), new ones are dropped rather than held. */
    private static final int MAX_QUEUED = 10_000;
    private static final long PRUNE_EVERY_MILLIS = 60_000;

    private final EventLog log;
    private final EventRetention retention;
    private final Clock clock;
    private final LinkedBlockingQueue<EventRecord> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private Thread thread;
    private long queued;
    private long written;
    private long lastPruneMillis;
    private boolean closed;

    EventWriter(EventLog log, EventRetention retention, Clock clock) {
        this.log = log;
        this.retention = retention;
        this.clock = clock;
        this.lastPruneMillis = clock.millis();
    }

    synchronized void enqueue(EventRecord event) {
        if (closed) {
            return;
        }
        if (thread == null) {
            thread = new Thread(this::loop, "hypr-events-writer");
            thread.setDaemon(true);
            thread.start();
        }
        if (queue.offer(event)) {
            queued++;
        } else {
            LOG.warnf("event log is %d events behind; dropped %s/%s %s", MAX_QUEUED, event.kind(), event.name(), event.reason());
        }
    }

    /** Waits until everything queued so far is written (or the timeout passes); true when it is. */
    synchronized boolean flush(long timeoutMillis) throws InterruptedException {
        long target = queued;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (written < target) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private void loop() {
        while (true) {
            List<EventRecord> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            write(batch);
            synchronized (this) {
                written += batch.size();
                notifyAll();
            }
        }
    }

    private void write(List<EventRecord> batch) {
        Map<EventRecord.Key, EventRecord> newest = new LinkedHashMap<>();
        batch.forEach(e -> newest.put(e.key(), e)); // a later repeat carries the count of the earlier
        try {
            log.append(new ArrayList<>(newest.values()));
            long now = clock.millis();
            if (now - lastPruneMillis >= PRUNE_EVERY_MILLIS) {
                lastPruneMillis = now;
                log.prune(clock.instant().minus(retention.ttl()), retention.maxEvents());
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot write %d event(s) to the event log: %s", newest.size(), e.getMessage());
        }
    }

    /** Writes what is queued (bounded wait), then stops the thread. */
    @Override
    public void close() throws InterruptedException {
        flush(TimeUnit.SECONDS.toMillis(5));
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(1000);
        }
    }
}
