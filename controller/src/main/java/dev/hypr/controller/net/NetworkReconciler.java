package dev.hypr.controller.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.NetworkSpec;
import dev.hypr.api.model.VmNetwork;
import dev.hypr.api.model.VmSpec;
import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.net.bridge.BridgeBackend;
import dev.hypr.controller.net.ipam.Allocation;
import dev.hypr.controller.net.ipam.HostNetwork;
import dev.hypr.controller.net.ipam.HostNetworkProbe;
import dev.hypr.controller.net.ipam.Ipam;
import dev.hypr.controller.net.ipam.Subnet;
import dev.hypr.controller.net.overlay.Vni;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.Finalizers;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.SecondaryWatch;
import dev.hypr.controller.runtime.TerminalException;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps each Network's subnet, gateway and address allocations: every VM that names the network
 * gets an address the moment it exists (persisted in status before the VM can boot with it, so a
 * kill -9 never hands one out twice), keeps it across restarts, and loses it when deleted.
 * A network in use is held by its finalizer, with a message naming the VMs. A host that lacks a
 * program bridges need (nft, ip, sysctl) makes it NetworkUnavailable, naming the package, with
 * an event; it is looked at again every {@link #RECHECK_MISSING_PROGRAMS} until installed.
 */
@ApplicationScoped
public class NetworkReconciler implements Reconciler {
    static final String FINALIZER = "hypr.dev/network";
    static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";
    static final Duration RECHECK_MISSING_PROGRAMS = Duration.ofSeconds(30);
    /** How often a network refused for overlapping the host looks again. */
    private static final Duration HOST_RECHECK = Duration.ofSeconds(30);

    @Inject
    ObjectStore store;

    @Inject
    BridgeBackend bridges;

    @Inject
    EventRecorder events;

    /** The host's addresses and routes now; tests replace it. */
    HostNetworkProbe.Source hostNetworks = HostNetworkProbe::current;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Kind kind() {
        return Kind.NETWORK;
    }

    @Override
    public List<SecondaryWatch> secondaryWatches() {
        // a VM appearing, changing networks or going away changes the allocations: the networks
        // it names now and those that still hold an address for it (it may have left them)
        return List.of(new SecondaryWatch(Kind.VM, vm -> {
            Set<String> out = new LinkedHashSet<>(joined(vm));
            String name = vm.path("metadata").path("name").asText();
            for (ObjectNode n : store.list(Kind.NETWORK, null).items()) {
                for (JsonNode a : n.path("status").path("allocations")) {
                    if (name.equals(a.path("vm").asText())) {
                        out.add(n.path("metadata").path("name").asText());
                    }
                }
            }
            return List.copyOf(out);
        }));
    }

    /** The bridged networks a stored VM joins; none when its spec cannot be read. */
    private static List<String> joined(JsonNode vm) {
        try {
            return VmNetwork.of(Json.MAPPER.treeToValue(vm.get("spec"), VmSpec.class)).stream().map(VmNetwork::name).toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return List.of(); // an unreadable spec joins no network
        }
    }

    @Override
    public Result reconcile(String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return reconcileOnce(name);
            } catch (AllocationRace race) {
                if (attempt >= 20) {
                    return Result.requeueAfter(Duration.ofMillis(100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400)));
                }
            }
        }
    }

    private Result reconcileOnce(String name) throws Exception {
        var found = store.get(Kind.NETWORK, name);
        if (found.isEmpty()) {
            return Result.done();
        }
        ObjectNode net = found.get();
        if (Finalizers.ensure(store, Kind.NETWORK, net, FINALIZER)) {
            return Result.done(); // the finalizer write wakes us again
        }
        List<String> members = members(name);
        ObjectNode status = net.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
        long gen = Objects.generation(net);
        if (Objects.isBeingDeleted(net)) {
            if (!members.isEmpty()) {
                Conditions.set(status, "Ready", false, "InUse", "cannot delete network " + name + ": in use by VM(s) "
                        + String.join(", ", members) + "; delete them or move them to another network first", gen, clock.instant());
                writeStatus(name, net, status);
                return Result.done(); // the VMs' deletion wakes us through the secondary watch
            }
            bridges.removeNetwork(name); // bridge, NAT rule, DNS; failures retry with back-off
            Finalizers.remove(store, Kind.NETWORK, name, FINALIZER);
            return Result.done();
        }
        NetworkPlan plan;
        List<Allocation> allocations;
        try {
            NetworkSpec spec = Json.MAPPER.treeToValue(net.get("spec"), NetworkSpec.class);
            plan = NetworkPlan.of(name, spec, status, otherSubnets(name));
            allocations = Ipam.assign(plan.subnet(), plan.gateway(), allocations(status), members);
        } catch (IllegalArgumentException | IllegalStateException e) {
            Conditions.set(status, "Ready", false, "InvalidSpec", e.getMessage(), gen, clock.instant());
            status.put("observedGeneration", gen);
            writeStatus(name, net, status);
            throw new TerminalException(e.getMessage());
        }
        Optional<HostNetwork> overlap = newSubnetOverlappingHost(plan.subnet(), status);
        if (overlap.isPresent()) {
            String message = plan.subnet() + " overlaps " + overlap.get().description() + " of the host; set another spec.subnet";
            Conditions.set(status, "Ready", false, "SubnetOverlap", message, gen, clock.instant());
            status.put("observedGeneration", gen);
            writeStatus(name, net, status);
            events.warning(Kind.NETWORK.kindName(), name, "SubnetOverlap", message);
            return Result.requeueAfter(HOST_RECHECK); // the host's networks may change (a VPN goes down)
        }
        status.put("observedGeneration", gen);
        status.put("subnet", plan.subnet().toString());
        status.put("gateway", Subnet.format(plan.gateway()));
        status.put("bridge", InterfaceNames.bridge(name));
        status.put("vni", Vni.choose(status.path("vni").asInt(0), Objects.uid(net), otherVnis(name)));
        ArrayNode list = status.putArray("allocations");
        allocations.forEach(a -> list.addObject().put("vm", a.vm()).put("ip", a.ip()).put("mac", a.mac()));
        List<HostProgram> missing = bridges.missingPrograms();
        if (!missing.isEmpty()) {
            String message = HostPrograms.describeMissing(missing);
            Conditions.set(status, "Ready", false, NETWORK_UNAVAILABLE, message, gen, clock.instant());
            writeStatus(name, net, status);
            events.warning(Kind.NETWORK.kindName(), name, NETWORK_UNAVAILABLE, message); // repeats fold into one event
            return Result.requeueAfter(RECHECK_MISSING_PROGRAMS);
        }
        Conditions.set(status, "Ready", true, "Allocated", allocations.size() + " address(es) allocated in " + plan.subnet(), gen,
                clock.instant());
        writeStatus(name, net, status);
        return Result.done();
    }

    /**
     * A host address or route the subnet would collide with, checked before a subnet is first
     * accepted: once the bridge exists, its own address and route are hyprd's, not the host's.
     */
    private Optional<HostNetwork> newSubnetOverlappingHost(Subnet subnet, JsonNode status) throws IOException {
        if (subnet.toString().equals(status.path("subnet").asText())) {
            return Optional.empty();
        }
        return HostNetwork.firstOverlap(subnet, hostNetworks.current(),
                List.of(InterfaceNames.BRIDGE_PREFIX, InterfaceNames.TAP_PREFIX));
    }

    /** VMs that belong on this network (naming it in network or networks), deleted ones included until they are gone. */
    private List<String> members(String network) {
        List<String> out = new ArrayList<>();
        for (ObjectNode vm : store.list(Kind.VM, null).items()) {
            if (joined(vm).contains(network)) {
                out.add(vm.path("metadata").path("name").asText());
            }
        }
        return out;
    }

    /** Subnets other networks hold: only accepted ones (in status), so a rejected spec blocks nobody. */
    private List<Subnet> otherSubnets(String name) {
        List<Subnet> out = new ArrayList<>();
        for (ObjectNode n : store.list(Kind.NETWORK, null).items()) {
            String s = n.path("status").path("subnet").asText("");
            if (!name.equals(n.path("metadata").path("name").asText()) && !s.isEmpty()) {
                out.add(Subnet.parse(s));
            }
        }
        return out;
    }

    static List<Allocation> allocations(JsonNode status) {
        List<Allocation> out = new ArrayList<>();
        status.path("allocations").forEach(a -> out.add(new Allocation(a.path("vm").asText(), a.path("ip").asText(),
                a.path("mac").asText())));
        return out;
    }

    /**
     * Writes the status computed from {@code net} only if nobody wrote the Network since it was
     * read: allocations computed from a stale copy must never overwrite newer ones (on etcd every
     * node's controller allocates, and a re-applied stale list could give one address to two VMs).
     * Throws {@link AllocationRace} otherwise, and the reconcile starts again from the fresh object.
     */
    private void writeStatus(String name, ObjectNode net, ObjectNode status) {
        if (status.equals(net.path("status"))) {
            return;
        }
        try {
            store.updateStatus(Kind.NETWORK, name, status, Objects.resourceVersion(net));
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.CONFLICT) {
                throw new AllocationRace();
            }
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Another writer got in between read and write: reconcile again from what it wrote. */
    static final class AllocationRace extends RuntimeException {
        AllocationRace() {
            super(null, null, false, false);
        }
    }

    /** VXLAN identifiers other Networks hold. */
    private List<Integer> otherVnis(String name) {
        List<Integer> out = new ArrayList<>();
        for (ObjectNode n : store.list(Kind.NETWORK, null).items()) {
            if (!name.equals(n.path("metadata").path("name").asText()) && n.path("status").path("vni").asInt(0) > 0) {
                out.add(n.path("status").path("vni").asInt());
            }
        }
        return out;
    }
}
