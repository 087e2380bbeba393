package dev.hypr.controller.net;

import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.net.forward.ForwardEvents;
import dev.hypr.controller.net.forward.ForwardReconciler;
import dev.hypr.controller.net.forward.ProxyForwarder;
import dev.hypr.controller.runtime.ControllerManager;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The forward reconciler as a controller bean (the ControllerManager runs it beside the VM
 * controller: runners are keyed by controller name), with its proxy's metrics; a proxied
 * connection's listener that dies wakes it for the VM.
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

    @Inject
    dev.hypr.controller.node.LocalNode node;

    /** Lazy: the manager starts the reconciler produced here. */
    @Inject
    Instance<ControllerManager> manager;

    @ConfigProperty(name = "hypr.forwards.resync", defaultValue = "5s")
    Duration resync;

    @Produces
    @Singleton
    ForwardReconciler reconciler() {
        ProxyForwarder proxy = bindings.proxy();
        Gauge.builder("hypr_proxy_connections_active", proxy.stats(), s -> s.activeConnections()).register(metrics);
        FunctionCounter.builder("hypr_proxy_connections", proxy.stats(), s -> s.connections()).register(metrics);
        FunctionCounter.builder("hypr_proxy_bytes", proxy.stats(), s -> s.bytesToGuest()).tag("direction", "to_guest").register(metrics);
        FunctionCounter.builder("hypr_proxy_bytes", proxy.stats(), s -> s.bytesFromGuest()).tag("direction", "from_guest")
                .register(metrics);
        FunctionCounter.builder("hypr_proxy_datagrams", proxy.stats(), s -> s.datagrams()).register(metrics);
        Gauge.builder("hypr_proxy_forwards", proxy, p -> p.list().size()).register(metrics);
        bindings.onProxyLost(f -> manager.get().enqueue(ForwardReconciler.NAME, f.owner()));
        return new ForwardReconciler(store, bindings, metrics, new ForwardEvents(events), Clock.systemUTC(), resync)
                .onlyWhere(node::runsHere);
    }

    void stop(@Observes ShutdownEvent ev) {
        bindings.proxy().closeAll();
    }
}
