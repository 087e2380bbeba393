package dev.hypr.controller.runtime;

import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.util.Threads;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one {@link Reconciler}: its store watches feed a {@link WorkQueue}, workers drain it,
 * errors back off, and a periodic resync re-checks every object even when nothing changed.
 */
public final class ControllerRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControllerRunner.class);

    private final Reconciler reconciler;
    private final ObjectStore store;
    private final MeterRegistry metrics;
    private final WorkQueue queue;
    private final List<AutoCloseable> watches = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hypr-resync");
        t.setDaemon(true);
        return t;
    });
    private final String name;
    private final ReconcileErrors errors;

    public ControllerRunner(Reconciler reconciler, ObjectStore store, MeterRegistry metrics, Duration baseBackoff, Duration maxBackoff) {
        this(reconciler, store, metrics, baseBackoff, maxBackoff, null);
    }

    /** {@code errors}: reports failing reconciles on the object (null: only the log says). */
    public ControllerRunner(Reconciler reconciler, ObjectStore store, MeterRegistry metrics, Duration baseBackoff, Duration maxBackoff,
            ReconcileErrors errors) {
        this.errors = errors;
        this.reconciler = reconciler;
        this.store = store;
        this.metrics = metrics;
        this.queue = new WorkQueue(baseBackoff, maxBackoff);
        this.name = reconciler.name();
    }

    public void start() {
        // Watching from revision 0 delivers every existing object first: all get reconciled.
        watches.add(store.watch(reconciler.kind(), 0, change -> queue.add(change.key().name())));
        for (SecondaryWatch w : reconciler.secondaryWatches()) {
            watches.add(store.watch(w.kind(), 0, change -> w.keysFor().apply(change.object()).forEach(queue::add)));
        }
        long period = reconciler.resyncPeriod().toMillis();
        timer.scheduleAtFixedRate(this::resync, period, period, TimeUnit.MILLISECONDS);
        for (int i = 0; i < Math.max(1, reconciler.workers()); i++) {
            workers.add(Threads.start("hypr-" + name + "-" + i, this::work));
        }
    }

    /** Wake the controller for one object: a driver saw something change (a process exit). */
    public void enqueue(String key) {
        queue.add(key);
    }

    public void enqueueAfter(String key, Duration delay) {
        queue.addAfter(key, delay);
    }

    public dev.hypr.api.Kind kind() {
        return reconciler.kind();
    }

    public String name() {
        return name;
    }

    public WorkQueue queue() {
        return queue;
    }

    private void resync() {
        try {
            store.list(reconciler.kind(), null).items()
                    .forEach(o -> queue.add(o.path("metadata").path("name").asText()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: resync failed", name);
        }
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            Timer.Sample sample = Timer.start(metrics);
            String outcome = "success";
            try {
                Result r = reconciler.reconcile(key);
                queue.forget(key);
                r.requeue().ifPresent(d -> queue.addAfter(key, d));
                if (errors != null) {
                    errors.succeeded(reconciler, key);
                }
            } catch (TerminalException e) {
                outcome = "terminal";
                queue.forget(key);
                LOG.warnf("%s/%s: %s (not retried until it changes)", name, key, e.getMessage());
                if (errors != null) {
                    errors.failed(reconciler, key, e, true);
                }
            } catch (Exception e) {
                outcome = "error";
                // reported before the back-off is armed: the report's own status write wakes this key once, harmlessly
                if (errors != null) {
                    errors.failed(reconciler, key, e, false);
                }
                Duration delay = queue.addRateLimited(key);
                LOG.warnf("%s/%s: reconcile failed, retrying in %d ms: %s", name, key, delay.toMillis(), e);
                LOG.debugf(e, "%s/%s", name, key);
            } finally {
                queue.done(key);
                sample.stop(Timer.builder("hypr_reconcile")
                        .description("Reconcile calls per controller and outcome")
                        .tag("controller", name)
                        .tag("outcome", outcome)
                        .register(metrics));
            }
        }
    }

    @Override
    public void close() {
        queue.shutDown();
        timer.shutdownNow();
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception ignored) {
                // closing a store watch cannot fail meaningfully
            }
        }
    }
}
