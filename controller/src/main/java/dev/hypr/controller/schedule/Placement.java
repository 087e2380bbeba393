package dev.hypr.controller.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where one VM fits, as the Kubernetes scheduler decides it for a Pod: filter the nodes (Ready,
 * not cordoned, labels matching nodeSelector, the node its volumes live on, enough free memory
 * and CPU), then score the rest by how little is allocated on them (spreading) and take the best.
 * Pure: nodes and requests in, a node name or the reasons out, so every rule is unit-tested.
 */
public final class Placement {
    private Placement() {
    }

    /**
     * A node as the scheduler sees it. {@code allocatedCpus}/{@code allocatedMemoryMiB} are what
     * the VMs bound to it ask for; {@code allocatableCpus} is capacity × the CPU allocation ratio.
     */
    public record NodeInfo(String name, Map<String, String> labels, boolean ready, boolean unschedulable,
            double allocatableCpus, long memoryMiB, int allocatedCpus, long allocatedMemoryMiB, int vms) {
        NodeInfo withVm(int cpus, long memory) {
            return new NodeInfo(name, labels, ready, unschedulable, allocatableCpus, memoryMiB, allocatedCpus + cpus,
                    allocatedMemoryMiB + memory, vms + 1);
        }

        /** Least-allocated score (lower is emptier): the mean of the CPU and memory fractions taken. */
        double load() {
            double cpu = allocatableCpus <= 0 ? 1 : allocatedCpus / allocatableCpus;
            double mem = memoryMiB <= 0 ? 1 : (double) allocatedMemoryMiB / memoryMiB;
            return (cpu + mem) / 2;
        }
    }

    /**
     * What a VM asks for. {@code requiredNode}: the node its volumes are on (null: any);
     * {@code volumeOwner} names the volume, for the message.
     */
    public record Request(int cpus, long memoryMiB, Map<String, String> nodeSelector, String requiredNode, String volume) {
    }

    /** The chosen node, or why none fits ("0/3 nodes are available: 2 Insufficient memory, 1 node(s) were unschedulable"). */
    public record Decision(Optional<String> node, String reason) {
        static Decision bound(String node) {
            return new Decision(Optional.of(node), "");
        }
    }

    public static Decision choose(Request vm, List<NodeInfo> nodes) {
        Map<String, Integer> rejections = new TreeMap<>();
        List<NodeInfo> fits = new ArrayList<>();
        for (NodeInfo n : nodes) {
            Optional<String> why = rejection(vm, n);
            if (why.isPresent()) {
                rejections.merge(why.get(), 1, Integer::sum);
            } else {
                fits.add(n);
            }
        }
        return fits.stream()
                .min(Comparator.comparingDouble(NodeInfo::load).thenComparingInt(NodeInfo::vms).thenComparing(NodeInfo::name))
                .map(n -> Decision.bound(n.name()))
                .orElseGet(() -> new Decision(Optional.empty(), unavailable(nodes.size(), rejections)));
    }

    /** The first filter a node fails, in Kubernetes' words where it has them. */
    static Optional<String> rejection(Request vm, NodeInfo n) {
        if (vm.requiredNode() != null && !vm.requiredNode().equals(n.name())) {
            return Optional.of("node(s) did not have volume " + vm.volume() + " (it is on node " + vm.requiredNode() + ")");
        }
        if (!n.ready()) {
            return Optional.of("node(s) were not ready");
        }
        if (n.unschedulable()) {
            return Optional.of("node(s) were unschedulable");
        }
        for (Map.Entry<String, String> want : vm.nodeSelector().entrySet()) {
            if (!want.getValue().equals(n.labels().get(want.getKey()))) {
                return Optional.of("node(s) didn't match nodeSelector");
            }
        }
        if (n.allocatedMemoryMiB() + vm.memoryMiB() > n.memoryMiB()) {
            return Optional.of("Insufficient memory");
        }
        if (n.allocatedCpus() + vm.cpus() > n.allocatableCpus()) {
            return Optional.of("Insufficient cpu");
        }
        return Optional.empty();
    }

    private static String unavailable(int total, Map<String, Integer> rejections) {
        List<String> parts = new ArrayList<>();
        rejections.forEach((why, count) -> parts.add(count + " " + why));
        return "0/" + total + " nodes are available" + (parts.isEmpty() ? " (no node is registered)" : ": " + String.join(", ", parts));
    }
}
