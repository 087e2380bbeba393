package dev.hypr.controller.net.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.host.HostProgram;
import dev.hypr.api.Json;
import dev.hypr.api.model.VmNetwork;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.net.InterfaceNames;
import dev.hypr.controller.net.dns.NetworkDns;
import dev.hypr.controller.net.ipam.Allocation;
import dev.hypr.controller.net.ipam.Subnet;
import dev.hypr.controller.store.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The host side of bridged networks. A Network's bridge, NAT rule and DNS server are created
 * lazily, when the first VM attaches (a Network object alone touches nothing on the host), and
 * removed with the Network. Each VM gets a TAP per network it joins (one per NIC, on that
 * network's bridge), removed with the VM.
 * A sweep at start and every 10 s removes hyb-/hyt- links and NAT rules no object owns (left by
 * a crash) and restarts DNS for bridges that exist. Without the host programs a bridge needs
 * (ip, nft, sysctl) a VM is refused with a message naming the missing package, and clean-up
 * skips what those programs could never have created.
 */
@ApplicationScoped
public class BridgeBackend {
    private static final Logger LOG = Logger.getLogger(BridgeBackend.class);

    @Inject
    ObjectStore store;

    @Inject
    NetworkDns dns;

    /** What a bridged network runs on the host. */
    static final List<HostProgram> REQUIRED_PROGRAMS = List.of(HostProgram.IP, HostProgram.NFT, HostProgram.SYSCTL);

    private ScheduledExecutorService sweeper;

    /** The programs bridged networks need that are missing on this host (none when all is installed). */
    public List<HostProgram> missingPrograms() {
        return HostPrograms.missing(REQUIRED_PROGRAMS);
    }

    /** The most NICs a VM may have (crds/vm.yaml, spec.networks maxItems). */
    static final int MAX_NICS = 8;

    /** Gives the VM one TAP per network it joins, on that network's bridge, in NIC order; creates bridges as needed. */
    public List<BridgeAttachment> attach(String vm, VmSpec spec) {
        List<VmNetwork> networks = VmNetwork.of(spec);
        List<BridgeAttachment> out = new ArrayList<>();
        for (int nic = 0; nic < networks.size(); nic++) {
            out.add(attach(vm, networks.get(nic).name(), nic));
        }
        return out;
    }

    private BridgeAttachment attach(String vm, String network, int nic) {
        if (!Cmd.privileged()) {
            throw new NetworkUnavailableException("network " + network + " needs a bridge and a TAP, and hyprd is not root; "
                    + "run hyprd as root or use network: user (rootless) for this VM");
        }
        List<HostProgram> missing = missingPrograms();
        if (!missing.isEmpty()) {
            throw new NetworkUnavailableException(HostPrograms.describeMissing(missing) + ": network " + network
                    + " needs it for its bridge; or use network: user for this VM");
        }
        JsonNode status = networkStatus(network)
                .orElseThrow(() -> new NetworkUnavailableException("network " + network + " does not exist"));
        Allocation a = allocation(vm, status)
                .orElseThrow(() -> new IllegalStateException("network/" + network + " has not allocated an address to vm/" + vm
                        + " yet")); // retried with back-off: the network controller is about to
        Subnet subnet = Subnet.parse(status.path("subnet").asText());
        String gateway = status.path("gateway").asText();
        String bridge = ensureNetwork(network, subnet, gateway);
        String tap = InterfaceNames.tap(vm, nic);
        Links.ensureTap(tap, bridge);
        return new BridgeAttachment(network, nic, tap, Allocation.macFor(Subnet.parseAddress(a.ip()), nic), a.ip(),
                subnet.prefix(), gateway);
    }

    /** The addresses IPAM gave a bridged VM, in NIC order, skipping networks that have none for it yet (for its status). */
    public List<BridgeAttachment> addresses(String vm, VmSpec spec) {
        List<VmNetwork> networks = VmNetwork.of(spec);
        List<BridgeAttachment> out = new ArrayList<>();
        for (int nic = 0; nic < networks.size(); nic++) {
            String network = networks.get(nic).name();
            Optional<JsonNode> status = networkStatus(network);
            Optional<Allocation> a = status.flatMap(s -> allocation(vm, s));
            if (a.isPresent()) {
                Subnet subnet = Subnet.parse(status.get().path("subnet").asText());
                out.add(new BridgeAttachment(network, nic, InterfaceNames.tap(vm, nic),
                        Allocation.macFor(Subnet.parseAddress(a.get().ip()), nic), a.get().ip(), subnet.prefix(),
                        status.get().path("gateway").asText()));
            }
        }
        return out;
    }

    /** Removes the VM's TAPs (every NIC). Idempotent; nothing to do when hyprd could never have made one. */
    public void detach(String vm) {
        if (Cmd.privileged()) {
            Set<String> mine = taps(vm, MAX_NICS);
            Links.withPrefix(InterfaceNames.TAP_PREFIX).stream().filter(mine::contains).forEach(Links::remove);
        }
    }

    private static Set<String> taps(String vm, int nics) {
        Set<String> out = new HashSet<>();
        for (int nic = 0; nic < nics; nic++) {
            out.add(InterfaceNames.tap(vm, nic));
        }
        return out;
    }

    /** Removes a deleted Network's DNS server, NAT rule and bridge. Idempotent. */
    public void removeNetwork(String network) {
        dns.stop(network);
        if (Cmd.privileged()) {
            String bridge = InterfaceNames.bridge(network);
            NatRules.remove(bridge);
            Links.remove(bridge);
        }
    }

    private String ensureNetwork(String network, Subnet subnet, String gateway) {
        String bridge = InterfaceNames.bridge(network);
        Links.ensureBridge(bridge, gateway + "/" + subnet.prefix());
        Links.ensureMac(bridge, Allocation.macFor(Subnet.parseAddress(gateway)));
        NatRules.ensure(bridge, subnet.toString());
        dns.ensure(network, gateway);
        return bridge;
    }

    private Optional<JsonNode> networkStatus(String network) {
        return store.get(Kind.NETWORK, network).map(n -> n.path("status")).filter(s -> s.hasNonNull("subnet"));
    }

    private static Optional<Allocation> allocation(String vm, JsonNode networkStatus) {
        for (JsonNode a : networkStatus.path("allocations")) {
            if (vm.equals(a.path("vm").asText())) {
                return Optional.of(new Allocation(vm, a.path("ip").asText(), a.path("mac").asText()));
            }
        }
        return Optional.empty();
    }

    /** Removes what no object owns; brings DNS back for bridges that survived a hyprd restart. */
    public synchronized void sweep() {
        if (!Cmd.privileged()) {
            return;
        }
        Set<String> bridges = new HashSet<>();
        for (ObjectNode n : store.list(Kind.NETWORK, null).items()) {
            String name = n.path("metadata").path("name").asText();
            String bridge = InterfaceNames.bridge(name);
            bridges.add(bridge);
            JsonNode s = n.path("status");
            if (Links.exists(bridge) && s.hasNonNull("gateway")) {
                dns.ensure(name, s.path("gateway").asText());
            }
        }
        Set<String> taps = new HashSet<>();
        for (ObjectNode v : store.list(Kind.VM, null).items()) {
            taps.addAll(taps(v.path("metadata").path("name").asText(), nicCount(v)));
        }
        for (String link : Links.withPrefix(InterfaceNames.TAP_PREFIX)) {
            if (!taps.contains(link)) {
                LOG.infof("removing leftover TAP %s (no VM owns it)", link);
                Links.remove(link);
            }
        }
        for (String link : Links.withPrefix(InterfaceNames.BRIDGE_PREFIX)) {
            if (!bridges.contains(link)) {
                LOG.infof("removing leftover bridge %s (no Network owns it)", link);
                Links.remove(link);
            }
        }
        for (NatRules.Rule r : NatRules.rules()) {
            if (!bridges.contains(r.bridge())) {
                NatRules.remove(r.bridge());
            }
        }
    }

    /** How many NICs a stored VM has; one when its spec cannot be read (its TAP is kept rather than guessed away). */
    private static int nicCount(ObjectNode vm) {
        try {
            return Math.max(1, VmNetwork.of(Json.MAPPER.treeToValue(vm.get("spec"), VmSpec.class)).size());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return 1;
        }
    }

    void start(@Observes @Priority(3100) StartupEvent ev) {
        List<HostProgram> missing = missingPrograms();
        if (!missing.isEmpty() && Cmd.privileged()) {
            LOG.warnf("bridged networks are unavailable until installed: %s", HostPrograms.describeMissing(missing));
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hypr-bridge-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warnf("bridge sweep: %s", e.getMessage());
            }
        }, 0, 10, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
