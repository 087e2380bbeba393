package dev.hypr.controller.runtime;

import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts every {@link Reconciler} bean once the store and API are up, one runner per
 * controller (keyed by {@link Reconciler#name()}, so a kind may have several controllers),
 * and lets drivers wake a controller.
 */
@ApplicationScoped
public class ControllerManager {
    private static final Logger LOG = Logger.getLogger(ControllerManager.class);

    @Inject
    Instance<Reconciler> reconcilers;

    @Inject
    ObjectStore store;

    @Inject
    MeterRegistry metrics;

    @Inject
    EventRecorder events;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean enabled;

    private final Map<String, ControllerRunner> runners = new LinkedHashMap<>();

    void start(@Observes @Priority(2000) StartupEvent ev) {
        if (!enabled) {
            return;
        }
        ReconcileErrors errors = new ReconcileErrors(store, events::warning, Clock.systemUTC());
        for (Reconciler r : reconcilers) {
            ControllerRunner runner = new ControllerRunner(r, store, metrics, Duration.ofMillis(500), r.maxBackoff(), errors);
            synchronized (runners) {
                ControllerRunner clash = runners.putIfAbsent(r.name(), runner);
                if (clash != null) {
                    throw new IllegalStateException("two controllers named " + r.name());
                }
            }
            runner.start();
            LOG.infof("controller %s started", r.name());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        synchronized (runners) {
            runners.values().forEach(ControllerRunner::close);
        }
    }

    /** Wakes the controller named {@code controller} for {@code key} (no-op when there is none). */
    public void enqueue(String controller, String key) {
        runner(controller).ifPresent(r -> r.enqueue(key));
    }

    public void enqueueAfter(String controller, String key, Duration delay) {
        runner(controller).ifPresent(r -> r.enqueueAfter(key, delay));
    }

    /** Wakes every controller of {@code kind} for {@code key}. */
    public void enqueueAll(Kind kind, String key) {
        synchronized (runners) {
            runners.values().stream().filter(r -> r.kind() == kind).forEach(r -> r.enqueue(key));
        }
    }

    private java.util.Optional<ControllerRunner> runner(String controller) {
        synchronized (runners) {
            return java.util.Optional.ofNullable(runners.get(controller));
        }
    }
}
