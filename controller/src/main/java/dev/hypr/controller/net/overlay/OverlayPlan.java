package dev.hypr.controller.net.overlay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.net.InterfaceNames;
import dev.hypr.controller.net.NetworkChoice;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one node needs for one Network to span nodes: a VXLAN device on the Network's bridge,
 * with a flooding entry (all-zero MAC) to every other node the Network's VMs run on, for
 * broadcast, unknown unicast and ARP, and each remote VM's MAC pointing at its node. Empty when
 * the Network's VMs run on this node alone, or on none of its own (nothing to join).
 *
 * @param remoteMacs MAC of each VM on another node → that node's address
 */
public record OverlayPlan(String network, String vxlan, String bridge, int vni, String localAddress, int port,
        Set<String> peers, Map<String, String> remoteMacs) {

    /** The address of a VM's node: {@code spec.nodeName}; empty while it is not bound to one. */
    public static Optional<String> nodeOf(JsonNode vm) {
        String n = vm.path("spec").path("nodeName").asText("");
        return n.isEmpty() ? Optional.empty() : Optional.of(n);
    }

    /** A node's address for other nodes: its first InternalIP (HYPR_NODE_ADDRESS when set). */
    public static Optional<String> addressOf(JsonNode node) {
        for (JsonNode a : node.path("status").path("addresses")) {
            if ("InternalIP".equals(a.path("type").asText())) {
                return Optional.of(a.path("address").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * @param nodeAddresses node name → address (nodes without one are left out: no entry can point at them)
     */
    public static Optional<OverlayPlan> of(ObjectNode network, Collection<? extends JsonNode> vms, Map<String, String> nodeAddresses,
            String localNode, int port) {
        String name = network.path("metadata").path("name").asText();
        JsonNode status = network.path("status");
        int vni = status.path("vni").asInt(0);
        String local = nodeAddresses.get(localNode);
        if (vni <= 0 || local == null || !status.hasNonNull("subnet")) {
            return Optional.empty();
        }
        Map<String, String> macs = new TreeMap<>();
        status.path("allocations").forEach(a -> macs.put(a.path("vm").asText(), a.path("mac").asText()));
        boolean hereToo = false;
        Set<String> peers = new TreeSet<>();
        Map<String, String> remoteMacs = new TreeMap<>();
        for (JsonNode vm : vms) {
            String vmName = vm.path("metadata").path("name").asText();
            Optional<String> node = nodeOf(vm);
            if (node.isEmpty() || !on(vm, name)) {
                continue;
            }
            if (node.get().equals(localNode)) {
                hereToo = true;
                continue;
            }
            String peer = nodeAddresses.get(node.get());
            if (peer == null || peer.equals(local)) {
                continue;
            }
            peers.add(peer);
            if (macs.containsKey(vmName)) {
                remoteMacs.put(macs.get(vmName), peer);
            }
        }
        if (!hereToo || peers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OverlayPlan(name, InterfaceNames.vxlan(name), InterfaceNames.bridge(name), vni, local, port,
                Set.copyOf(peers), Map.copyOf(remoteMacs)));
    }

    /** Whether the VM is bridged on the network (spec.network names it, or is empty for the default). */
    private static boolean on(JsonNode vm, String network) {
        String n = vm.path("spec").path("network").asText("");
        return !"none".equals(n) && !"user".equals(n) && (n.isBlank() ? NetworkChoice.DEFAULT_NETWORK : n).equals(network);
    }
}
