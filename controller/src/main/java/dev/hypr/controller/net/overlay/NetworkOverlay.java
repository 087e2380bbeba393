package dev.hypr.controller.net.overlay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.net.InterfaceNames;
import dev.hypr.controller.net.bridge.Cmd;
import dev.hypr.controller.net.bridge.Links;
import dev.hypr.controller.net.bridge.NetworkUnavailableException;
import dev.hypr.controller.node.NodeRegistration;
import dev.hypr.controller.store.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Networks across nodes: keeps this node's VXLAN devices as the store says (see
 * {@link OverlayPlan}): where a Network's VMs run on this node and on others, its bridge gets a
 * VXLAN device with entries to those nodes; where they no longer do, the device goes. It reads
 * VMs, Nodes and Networks from the store's cache every second and changes the host only when
 * the plan changed, checking the host against the plan every {@link #VERIFY_EVERY_MILLIS}.
 */
@ApplicationScoped
public class NetworkOverlay {
    private static final Logger LOG = Logger.getLogger(NetworkOverlay.class);
    static final long VERIFY_EVERY_MILLIS = 15_000;

    @Inject
    ObjectStore store;

    @Inject
    NodeRegistration node;

    @Inject
    EventRecorder events;

    /** The UDP port of VXLAN between nodes (IANA's 4789); the same on every node. */
    @ConfigProperty(name = "hypr.overlay.port", defaultValue = "4789")
    int port;

    @ConfigProperty(name = "hypr.controllers.enabled", defaultValue = "true")
    boolean controllersEnabled;

    private final Map<String, OverlayPlan> applied = new HashMap<>();
    /** The plans last logged: a periodic re-check that changes nothing logs nothing. */
    private final Map<String, OverlayPlan> logged = new HashMap<>();
    private long lastVerified;
    private ScheduledExecutorService worker;

    /** Brings this node's VXLAN devices in line with the store. */
    public synchronized void sync() {
        if (!Cmd.privileged() || !HostPrograms.missing(List.of(HostProgram.IP, HostProgram.BRIDGE)).isEmpty()) {
            return;
        }
        if (System.currentTimeMillis() - lastVerified > VERIFY_EVERY_MILLIS) {
            applied.clear(); // look at the host again: a device or entry may have been removed under us
            lastVerified = System.currentTimeMillis();
        }
        Map<String, String> addresses = new HashMap<>();
        for (ObjectNode n : store.list(Kind.NODE, null).items()) {
            OverlayPlan.addressOf(n).ifPresent(a -> addresses.put(n.path("metadata").path("name").asText(), a));
        }
        List<ObjectNode> vms = store.list(Kind.VM, null).items();
        Map<String, OverlayPlan> wanted = new HashMap<>();
        for (ObjectNode net : store.list(Kind.NETWORK, null).items()) {
            OverlayPlan.of(net, vms, addresses, node.nodeName(), port).ifPresent(p -> wanted.put(p.vxlan(), p));
        }
        for (OverlayPlan p : wanted.values()) {
            if (!p.equals(applied.get(p.vxlan()))) {
                apply(p);
            }
        }
        for (String link : Links.withPrefix(InterfaceNames.VXLAN_PREFIX)) {
            if (!wanted.containsKey(link)) {
                LOG.infof("removing VXLAN %s: its Network no longer spans this node and another", link);
                Links.remove(link);
                applied.remove(link);
                logged.remove(link);
            }
        }
        applied.keySet().retainAll(wanted.keySet());
    }

    private void apply(OverlayPlan p) {
        if (!Links.exists(p.bridge())) {
            return; // the bridge comes with this node's first VM on the Network; next round
        }
        try {
            VxlanLinks.ensure(p);
            VxlanLinks.sync(p.vxlan(), VxlanLinks.wanted(p));
            applied.put(p.vxlan(), p);
            if (!p.equals(logged.put(p.vxlan(), p))) {
                LOG.infof("network/%s spans nodes: VXLAN %s (id %d) from %s to %s", p.network(), p.vxlan(), p.vni(),
                        p.localAddress(), p.peers());
            }
        } catch (NetworkUnavailableException e) {
            events.warning(Kind.NETWORK.kindName(), p.network(), "OverlayFailed",
                    "node " + node.nodeName() + ": cannot join the Network's bridges across nodes: " + e.getMessage());
        }
    }

    // after the bridge sweep (3100), which removes links no object owns
    void start(@Observes @Priority(3200) StartupEvent ev) {
        if (!controllersEnabled) {
            return;
        }
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hypr-network-overlay");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(() -> {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warnf("network overlay: %s", e.getMessage());
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
