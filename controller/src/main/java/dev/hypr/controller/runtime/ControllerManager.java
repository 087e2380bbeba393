package dev.hypr.controller.runtime;

import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts every {@link Reconciler} bean once the store and API are up; lets drivers wake them. */
@ApplicationScoped
public class ControllerManager {
    private static final Logger LOG = Logger.getLogger(ControllerManager.class);

    @Inject
    Instance<Reconciler> reconcilers;

    @Inject
    ObjectStore store;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean enabled;

    private final Map<Kind, ControllerRunner> runners = new EnumMap<>(Kind.class);

    void start(@Observes @Priority(2000) StartupEvent ev) {
        if (!enabled) {
            return;
        }
        for (Reconciler r : reconcilers) {
            ControllerRunner runner = new ControllerRunner(r, store, metrics, Duration.ofMillis(500), Duration.ofMinutes(5));
            runners.put(r.kind(), runner);
            runner.start();
            LOG.infof("controller %s started", r.kind().singular());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        runners.values().forEach(ControllerRunner::close);
    }

    /** Wakes the controller of {@code kind} for {@code name} (no-op when there is none). */
    public void enqueue(Kind kind, String name) {
        ControllerRunner r = runners.get(kind);
        if (r != null) {
            r.enqueue(name);
        }
    }

    public void enqueueAfter(Kind kind, String name, Duration delay) {
        ControllerRunner r = runners.get(kind);
        if (r != null) {
            r.enqueueAfter(name, delay);
        }
    }
}
