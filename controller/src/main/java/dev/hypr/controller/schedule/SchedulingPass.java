package dev.hypr.controller.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.store.Objects;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One look of the scheduler at every Node, VM and Volume, and the writes it wants: unbind the VMs
 * of nodes lost beyond the grace period, bind unbound VMs (and the unbound volumes they use) to a
 * node, say why a VM fits nowhere, release the finalizer of a deleted VM that no node runs. Pure
 * (objects and a clock reading in, actions out): {@link VmScheduler} does the writes, each one a
 * transaction that compares the revision read here.
 */
public final class SchedulingPass {
    /** The VM controller's finalizer (VmReconciler.FINALIZER): released here for VMs no node runs. */
    public static final String VM_FINALIZER = "hypr.dev/vm";

    public sealed interface Action permits Unbind, Bind, BindVolume, Unschedulable, ReleaseFinalizer, Pinned {
    }

    /** A VM bound by its user (not by the scheduler) whose Scheduled condition still says False. */
    public record Pinned(String vm, String node) implements Action {
    }

    /** Clear spec.nodeName: its node is lost ({@code reason} NodeLost). */
    public record Unbind(String vm, long revision, String node, String message) implements Action {
    }

    /** Set spec.nodeName of the VM (and of its unbound volumes, same transaction). */
    public record Bind(String vm, long revision, String node, Map<String, Long> volumes) implements Action {
    }

    /** Set spec.nodeName of a Volume a VM bound to that node uses. */
    public record BindVolume(String volume, long revision, String node) implements Action {
    }

    /** No node fits: condition Scheduled=False, reason Unschedulable; {@code changed}: a new message (event-worthy). */
    public record Unschedulable(String vm, String message, boolean changed) implements Action {
    }

    /** A deleted VM that no node runs: drop the VM controller's finalizer so it goes away. */
    public record ReleaseFinalizer(String vm, long revision) implements Action {
    }

    private final Map<String, ObjectNode> nodes = new TreeMap<>();
    private final Map<String, ObjectNode> volumes = new HashMap<>();
    private final Function<String, Duration> notReadyFor;
    private final Duration grace;
    private final double cpuAllocationRatio;

    /**
     * @param notReadyFor how long the scheduler has seen a node NotReady (zero when Ready; a node
     *     without a Node object counts as lost)
     */
    public SchedulingPass(List<ObjectNode> nodeObjects, List<ObjectNode> volumeObjects, Function<String, Duration> notReadyFor,
            Duration grace, double cpuAllocationRatio) {
        nodeObjects.forEach(n -> nodes.put(Objects.key(n).name(), n));
        volumeObjects.forEach(v -> volumes.put(Objects.key(v).name(), v));
        this.notReadyFor = notReadyFor;
        this.grace = grace;
        this.cpuAllocationRatio = cpuAllocationRatio;
    }

    /**
     * A node is lost once it has been NotReady for the grace period: its VMs are fenced by then. A
     * name without a Node is not lost: a VM pinned to a node that has not registered yet waits for it.
     */
    public boolean lost(String node) {
        return nodes.containsKey(node) && notReadyFor.apply(node).compareTo(grace) >= 0;
    }

    public List<Action> plan(List<ObjectNode> vms) {
        List<Action> actions = new ArrayList<>();
        Map<String, String> binding = new HashMap<>(); // VM name → node, as this pass leaves it
        for (ObjectNode vm : vms) {
            String node = nodeName(vm);
            String name = Objects.key(vm).name();
            if (!node.isEmpty() && lost(node)) {
                actions.add(new Unbind(name, Objects.resourceVersion(vm), node, "node " + node + " is lost (NotReady for "
                        + grace.toSeconds() + " s or more): unbound so the scheduler places the VM elsewhere"));
                node = "";
            }
            binding.put(name, node);
        }
        Map<String, Placement.NodeInfo> infos = new LinkedHashMap<>();
        nodes.forEach((name, n) -> infos.put(name, info(n)));
        for (ObjectNode vm : vms) {
            String node = binding.get(Objects.key(vm).name());
            if (!node.isEmpty() && infos.containsKey(node) && allocates(vm)) {
                infos.put(node, infos.get(node).withVm(cpus(vm), memory(vm)));
            }
        }
        Map<String, String> volumeNodes = new HashMap<>(); // volumes bound in this pass
        // oldest first, as a queue would
        List<ObjectNode> ordered = new ArrayList<>(vms);
        ordered.sort(Comparator.comparing((ObjectNode v) -> v.path("metadata").path("creationTimestamp").asText())
                .thenComparing(v -> Objects.key(v).name()));
        for (ObjectNode vm : ordered) {
            String name = Objects.key(vm).name();
            String node = binding.get(name);
            if (!node.isEmpty()) {
                if ("False".equals(scheduledField(vm, "status")) && node.equals(nodeName(vm))) {
                    actions.add(new Pinned(name, node));
                }
                bindVolumesOf(vm, node, volumeNodes, actions);
                continue;
            }
            if (Objects.isBeingDeleted(vm)) {
                if (Objects.finalizers(vm).contains(VM_FINALIZER) && !stillRunningSomewhere(vm)) {
                    actions.add(new ReleaseFinalizer(name, Objects.resourceVersion(vm)));
                }
                continue;
            }
            if (!allocates(vm) || stillRunningSomewhere(vm)) {
                continue; // stopped VMs wait unbound; an evicted one waits until its old node stopped it
            }
            Optional<String> volumeProblem = Optional.empty();
            String requiredNode = null;
            String requiredBy = null;
            for (String volume : volumeRefs(vm)) {
                String on = volumeNode(volume, volumeNodes);
                if (on.isEmpty()) {
                    continue;
                }
                if (requiredNode != null && !requiredNode.equals(on)) {
                    volumeProblem = Optional.of("volumes " + requiredBy + " (node " + requiredNode + ") and " + volume
                            + " (node " + on + ") are on different nodes; a VM can use only one node's volumes");
                }
                requiredNode = on;
                requiredBy = volume;
            }
            Placement.Decision d = volumeProblem.isPresent() ? new Placement.Decision(Optional.empty(), volumeProblem.get())
                    : Placement.choose(new Placement.Request(cpus(vm), memory(vm), selector(vm), requiredNode, requiredBy),
                            List.copyOf(infos.values()));
            if (d.node().isPresent()) {
                String chosen = d.node().get();
                infos.put(chosen, infos.get(chosen).withVm(cpus(vm), memory(vm)));
                Map<String, Long> unboundVolumes = new LinkedHashMap<>();
                for (String volume : volumeRefs(vm)) {
                    ObjectNode v = volumes.get(volume);
                    if (v != null && volumeNode(volume, volumeNodes).isEmpty()) {
                        unboundVolumes.put(volume, Objects.resourceVersion(v));
                        volumeNodes.put(volume, chosen);
                    }
                }
                actions.add(new Bind(name, Objects.resourceVersion(vm), chosen, unboundVolumes));
            } else {
                String message = d.reason();
                if (requiredNode != null && volumeProblem.isEmpty()) {
                    message += "; volume " + requiredBy + " is node-local on " + requiredNode + " and cannot move";
                }
                actions.add(new Unschedulable(name, message, !message.equals(scheduledMessage(vm))));
            }
        }
        return actions;
    }

    /** Volumes created after their VM was bound follow the VM to its node. */
    private void bindVolumesOf(ObjectNode vm, String node, Map<String, String> volumeNodes, List<Action> actions) {
        for (String volume : volumeRefs(vm)) {
            ObjectNode v = volumes.get(volume);
            if (v != null && volumeNode(volume, volumeNodes).isEmpty() && !Objects.isBeingDeleted(v)) {
                volumeNodes.put(volume, node);
                actions.add(new BindVolume(volume, Objects.resourceVersion(v), node));
            }
        }
    }

    private String volumeNode(String volume, Map<String, String> boundInPass) {
        String inPass = boundInPass.get(volume);
        if (inPass != null) {
            return inPass;
        }
        ObjectNode v = volumes.get(volume);
        return v == null ? "" : nodeName(v);
    }

    /**
     * Whether the VM's last status says a VMM runs on a node not yet lost: after an eviction the
     * old node stops it and clears status.pid; only then may it run elsewhere (never two at once).
     */
    boolean stillRunningSomewhere(ObjectNode vm) {
        JsonNode status = vm.path("status");
        String ranOn = status.path("nodeName").asText("");
        return status.hasNonNull("pid") && nodes.containsKey(ranOn) && !lost(ranOn);
    }

    private Placement.NodeInfo info(ObjectNode n) {
        JsonNode status = n.path("status");
        Map<String, String> labels = new HashMap<>();
        n.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        boolean ready = false;
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                ready = "True".equals(c.path("status").asText());
            }
        }
        return new Placement.NodeInfo(Objects.key(n).name(), labels, ready, n.path("spec").path("unschedulable").asBoolean(false),
                status.path("capacity").path("cpus").asInt(0) * cpuAllocationRatio, status.path("capacity").path("memoryMiB").asLong(0),
                0, 0, 0);
    }

    public static String nodeName(JsonNode obj) {
        return obj.path("spec").path("nodeName").asText("");
    }

    /** Bound VMs that want to run take their CPUs and memory from the node; stopped ones do not. */
    public static boolean allocates(JsonNode vm) {
        return vm.path("spec").path("running").asBoolean(true);
    }

    static int cpus(JsonNode vm) {
        return vm.path("spec").path("cpus").asInt(1);
    }

    static long memory(JsonNode vm) {
        return vm.path("spec").path("memoryMiB").asLong(256);
    }

    private static Map<String, String> selector(JsonNode vm) {
        Map<String, String> out = new TreeMap<>();
        vm.path("spec").path("nodeSelector").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static Set<String> volumeRefs(JsonNode vm) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode v : vm.path("spec").path("volumes")) {
            String ref = v.path("volumeRef").asText("");
            if (!ref.isEmpty()) {
                out.add(ref);
            }
        }
        return out;
    }

    private static String scheduledMessage(JsonNode vm) {
        return scheduledField(vm, "message");
    }

    private static String scheduledField(JsonNode vm, String field) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if (VmScheduler.SCHEDULED.equals(c.path("type").asText())) {
                return c.path(field).asText("");
            }
        }
        return "";
    }
}
