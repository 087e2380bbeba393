package dev.hypr.controller.net;

import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.net.forward.ForwardEvents;
import dev.hypr.controller.net.forward.ForwardReconciler;
import dev.hypr.controller.net.forward.ProxyForwarder;
import dev.hypr.controller.runtime.ControllerRunner;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the forward reconciler on its own work queue. It reconciles VM keys like the VM
 * controller does, but is a second controller of that kind: the ControllerManager holds one
 * runner per kind, so this one is started here rather than registered as a Reconciler bean.
 */
@ApplicationScoped
public class ForwardController {
    @Inject
    ObjectStore store;

    @Inject
    MeterRegistry metrics;

    @Inject
    VmForwardBindings bindings;

    @Inject
    EventRecorder events;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "hypr.forwards.resync", defaultValue = "5s")
    Duration resync;

    private ControllerRunner runner;

    void start(@Observes @Priority(2100) StartupEvent ev) {
        if (!enabled) {
            return;
        }
        ProxyForwarder proxy = bindings.proxy();
        Gauge.builder("hypr_proxy_connections_active", proxy.stats(), s -> s.activeConnections()).register(metrics);
        FunctionCounter.builder("hypr_proxy_connections", proxy.stats(), s -> s.connections()).register(metrics);
        FunctionCounter.builder("hypr_proxy_bytes", proxy.stats(), s -> s.bytesToGuest()).tag("direction", "to_guest").register(metrics);
        FunctionCounter.builder("hypr_proxy_bytes", proxy.stats(), s -> s.bytesFromGuest()).tag("direction", "from_guest")
                .register(metrics);
        FunctionCounter.builder("hypr_proxy_datagrams", proxy.stats(), s -> s.datagrams()).register(metrics);
        Gauge.builder("hypr_proxy_forwards", proxy, p -> p.list().size()).register(metrics);
        ForwardReconciler reconciler = new ForwardReconciler(store, bindings, metrics, new ForwardEvents(events),
                Clock.systemUTC(), resync);
        runner = new ControllerRunner(reconciler, store, metrics, Duration.ofMillis(500), Duration.ofSeconds(30));
        bindings.onProxyLost(f -> runner.enqueue(f.owner()));
        runner.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (runner != null) {
            runner.close();
        }
        bindings.proxy().closeAll();
    }

    /** Wakes the forward reconciler for a VM (its network attachment changed). */
    public void enqueue(String vm) {
        if (runner != null) {
            runner.enqueue(vm);
        }
    }
}
