package dev.hypr.controller.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * client-go's rate-limited work queue, in small: keys are de-duplicated, a key being
 * processed is never handed out again until {@link #done}, a key added while processing
 * comes back afterwards, and failures back off exponentially per key (reset by
 * {@link #forget}).
 */
public final class WorkQueue {
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final LinkedHashSet<String> ready = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final DelayQueue<DelayedKey> delayed = new DelayQueue<>();
    private final Map<String, Long> dueByKey = new HashMap<>();
    private boolean shutDown;

    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public synchronized void add(String key) {
        if (shutDown) {
            return;
        }
        if (processing.contains(key)) {
            dirty.add(key);
            return;
        }
        if (ready.add(key)) {
            notifyAll();
        }
    }

    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
        } else {
            long due = System.nanoTime() + delay.toNanos();
            synchronized (this) {
                // One timer per key, the earliest (client-go does the same): otherwise every extra
                // wake-up of a polling controller would start one more requeue chain, forever.
                Long pending = dueByKey.get(key);
                if (pending != null && pending - due <= 0) {
                    return;
                }
                if (pending != null) {
                    delayed.remove(new DelayedKey(key, pending));
                }
                dueByKey.put(key, due);
                delayed.put(new DelayedKey(key, due));
                notifyAll(); // a waiting take() may now have an earlier deadline
            }
        }
    }

    /** Re-adds after this key's next back-off delay: base × 2^failures, capped. */
    public Duration addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum);
        }
        long millis = baseDelay.toMillis() << Math.min(n - 1, 30);
        Duration delay = millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
        addAfter(key, delay);
        return delay;
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    public synchronized void forget(String key) {
        failures.remove(key);
    }

    /** Blocks until a key is ready; null once shut down. */
    public String take() throws InterruptedException {
        while (true) {
            promoteDueKeys();
            synchronized (this) {
                if (shutDown) {
                    return null;
                }
                if (!ready.isEmpty()) {
                    String key = ready.iterator().next();
                    ready.remove(key);
                    processing.add(key);
                    return key;
                }
                DelayedKey next = delayed.peek();
                long waitMillis = next == null ? 1000 : Math.max(1, next.getDelay(TimeUnit.MILLISECONDS));
                wait(Math.min(waitMillis, 1000));
            }
        }
    }

    public synchronized void done(String key) {
        processing.remove(key);
        if (dirty.remove(key)) {
            ready.add(key);
            notifyAll();
        }
    }

    public synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }

    public synchronized int length() {
        return ready.size();
    }

    private void promoteDueKeys() {
        DelayedKey due;
        while ((due = delayed.poll()) != null) {
            synchronized (this) {
                dueByKey.remove(due.key, due.dueNanos);
            }
            add(due.key);
        }
    }

    private record DelayedKey(String key, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((DelayedKey) o).dueNanos);
        }
    }
}
