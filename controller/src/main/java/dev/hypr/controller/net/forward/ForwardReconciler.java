package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the published ports of one VM equal to its {@code spec.ports}: desired = every entry
 * while the VM runs, an entry without hostPort on an ephemeral host port picked here and kept in
 * {@code status.ports} while the VM exists ({@link HostPortAssignments}), observed = what its forwarder reports, and the difference
 * is applied every reconcile (and every resync), so a forward removed behind hyprd's back comes
 * back. A host port held by someone else marks the VM with {@code PortConflict}; the VM's other
 * forwards are still exposed. Writes only its own status fields: {@code forwards} and the
 * {@code PortConflict} and {@code ForwardsReady} conditions. A restore, a conflict and a failure
 * are also recorded as events on the VM.
 */
public final class ForwardReconciler implements Reconciler {
    private static final Logger LOG = Logger.getLogger(ForwardReconciler.class);
    public static final String PORT_CONFLICT = "PortConflict";
    public static final String FORWARDS_READY = "ForwardsReady";
    /** The second controller of VMs (the VM controller is "vm"). */
    public static final String NAME = "forward";

    private final ObjectStore store;
    private final ForwardBindings bindings;
    private final Clock clock;
    private final Duration resync;
    private final Counter restored;
    private final ForwardEvents events;
    /** Forwards this hyprd exposed and still wants: a missing one was removed out-of-band. */
    private final Map<String, Set<String>> exposed = new ConcurrentHashMap<>();
    private final HostPortAssignments.PortPicker picker;
    /** Whether this node runs a VM (LocalNode): ports are published only on the VM's node. */
    private java.util.function.Predicate<ObjectNode> runsHere = vm -> true;

    public ForwardReconciler(ObjectStore store, ForwardBindings bindings, MeterRegistry metrics, ForwardEvents events,
            Clock clock, Duration resync) {
        this(store, bindings, metrics, events, clock, resync, new FreePortPicker());
    }

    public ForwardReconciler(ObjectStore store, ForwardBindings bindings, MeterRegistry metrics, ForwardEvents events,
            Clock clock, Duration resync, HostPortAssignments.PortPicker picker) {
        this.picker = picker;
        this.store = store;
        this.events = events;
        this.bindings = bindings;
        this.clock = clock;
        this.resync = resync;
        this.restored = Counter.builder("hypr_forwards_restored").description("forwards re-exposed after vanishing out-of-band")
                .register(metrics);
    }

    /** Publishes ports only of the VMs {@code runsHere} accepts (the others belong to other nodes). */
    public ForwardReconciler onlyWhere(java.util.function.Predicate<ObjectNode> runsHere) {
        this.runsHere = runsHere;
        return this;
    }

    @Override
    public Kind kind() {
        return Kind.VM;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration resyncPeriod() {
        return resync;
    }

    @Override
    public String errorCondition() {
        return "ForwardsReconcileError";
    }

    @Override
    public Duration maxBackoff() {
        return Duration.ofSeconds(30); // a freed port or a restarted gvproxy should be picked up soon
    }

    @Override
    public Result reconcile(String name) throws Exception {
        Optional<ObjectNode> found = store.get(Kind.VM, name);
        if (found.isPresent() && !runsHere.test(found.get())) {
            // another node's VM (or this node is fenced): drop what this node published, write nothing
            unexposeEverywhere(name);
            exposed.remove(name);
            return Result.done();
        }
        Optional<ForwardBinding> binding = Optional.empty();
        VmSpec spec = null;
        if (found.isPresent() && !Objects.isBeingDeleted(found.get())) {
            spec = Json.MAPPER.treeToValue(found.get().get("spec"), VmSpec.class);
            binding = bindings.forVm(name, spec, found.get().path("status"));
        }
        if (binding.isEmpty()) {
            unexposeEverywhere(name);
            exposed.remove(name);
            if (found.isPresent()) {
                // a stopped VM keeps its ephemeral ports: the next boot publishes the same ones
                List<AssignedPort> kept = spec == null ? null
                        : HostPortAssignments.resolve(spec, found.get().path("status").path("ports"), null);
                writeStatus(name, List.of(), Map.of(), Map.of(), List.of(), null, kept);
            }
            return Result.done();
        }
        ForwardBinding b = binding.get();
        List<AssignedPort> ports = HostPortAssignments.resolve(spec, found.get().path("status").path("ports"), picker);
        List<Forward> desired = PublishedPorts.of(name, ports, b.targetIP());
        List<Forward> observed = b.observed(name);
        ForwardPlan plan = ForwardPlan.of(desired, observed);
        for (Forward f : plan.toUnexpose()) {
            b.forwarder().unexpose(f);
        }
        Set<String> ours = exposed.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet());
        List<String> repaired = new ArrayList<>();
        Map<String, String> conflicts = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>(); // other errors: retried, other forwards unaffected
        for (Forward f : plan.toExpose()) {
            try {
                b.forwarder().expose(f);
                if (ours.contains(f.listenKey())) {
                    repaired.add(f.toString());
                    restored.increment();
                    events.restored(name, f.toString());
                }
                ours.add(f.listenKey());
            } catch (PortConflictException e) {
                if (ephemeral(ports, f)) {
                    // nobody asked for this port: forget it, the next reconcile (5 s) picks another
                    ports.removeIf(p -> p.ephemeral() && p.hostPort() == f.hostPort() && p.hostIP().equals(f.hostIP()));
                }
                conflicts.put(f.listenKey(), e.getMessage());
                ours.remove(f.listenKey());
                events.portConflict(name, e.getMessage());
            } catch (ForwardException e) {
                failures.put(f.listenKey(), e.getMessage());
                events.failed(name, e.getMessage());
            }
        }
        Set<String> wanted = new HashSet<>();
        desired.forEach(f -> wanted.add(f.listenKey()));
        ours.retainAll(wanted);
        if (!repaired.isEmpty()) {
            LOG.warnf("vm/%s: restored forwards removed out-of-band: %s", name, String.join(", ", repaired));
        }
        int unassigned = (spec.ports() == null ? 0 : spec.ports().size()) - desired.size();
        if (unassigned > 0) {
            failures.put("unassigned", unassigned + " port(s) without hostPort found no free host port on their hostIP");
        }
        writeStatus(name, desired, conflicts, failures, repaired, b.forwarder().name(), ports);
        if (!failures.isEmpty()) {
            throw new ForwardException("vm/" + name + ": " + String.join("; ", failures.values())); // back-off retry
        }
        // a taken port may be freed at any time: look again sooner than the resync
        return conflicts.isEmpty() ? Result.done() : Result.requeueAfter(Duration.ofSeconds(5));
    }

    private static boolean ephemeral(List<AssignedPort> ports, Forward f) {
        return ports.stream().anyMatch(p -> p.ephemeral() && p.hostPort() == f.hostPort() && p.hostIP().equals(f.hostIP()));
    }

    private void unexposeEverywhere(String name) throws ForwardException {
        for (Forwarder f : bindings.shared()) {
            for (Forward fw : f.list()) {
                if (fw.owner().equals(name)) {
                    f.unexpose(fw);
                }
            }
        }
    }

    /**
     * Rewrites the fields this controller owns ({@code forwards}, {@code ports}, {@code PortConflict},
     * {@code ForwardsReady}) on the stored status; {@code ports} is left as it is when null, re-read on a conflict with the VM controller's
     * write; written only when they change (a write wakes every VM watcher).
     */
    private void writeStatus(String name, List<Forward> desired, Map<String, String> conflicts, Map<String, String> failures,
            List<String> repaired, String forwarder, List<AssignedPort> ports) {
        Optional<ObjectNode> vm = store.get(Kind.VM, name);
        if (vm.isEmpty()) {
            return;
        }
        long gen = Objects.generation(vm.get());
        new StatusWriter(store).update(Kind.VM, name, status -> {
            if (desired.isEmpty() && forwarder == null) {
                status.remove("forwards");
            } else {
                status.set("forwards", forwardsField(desired, conflicts, failures, forwarder));
            }
            if (ports != null && ports.isEmpty()) {
                status.remove("ports");
            } else if (ports != null) {
                ArrayNode recorded = status.putArray("ports");
                ports.forEach(p -> recorded.add(p.toJson()));
            }
            if (!conflicts.isEmpty()) {
                String msg = String.join("; ", conflicts.values());
                Conditions.set(status, PORT_CONFLICT, true, PORT_CONFLICT, msg, gen, clock.instant());
                Conditions.set(status, FORWARDS_READY, false, PORT_CONFLICT, msg, gen, clock.instant());
            } else if (Conditions.get(status, PORT_CONFLICT).isPresent() || !desired.isEmpty()) {
                Conditions.set(status, PORT_CONFLICT, false, "NoConflict", "every published host port is bound", gen, clock.instant());
            }
            if (conflicts.isEmpty() && !failures.isEmpty()) {
                Conditions.set(status, FORWARDS_READY, false, "ForwardFailed", String.join("; ", failures.values()), gen,
                        clock.instant());
            } else if (conflicts.isEmpty() && !desired.isEmpty()) {
                if (!repaired.isEmpty()) {
                    Conditions.set(status, FORWARDS_READY, true, "Restored",
                            "restored after removal out-of-band at " + clock.instant() + ": " + String.join(", ", repaired),
                            gen, clock.instant());
                } else if (!"Restored".equals(Conditions.get(status, FORWARDS_READY).map(c -> c.path("reason").asText()).orElse(""))) {
                    Conditions.set(status, FORWARDS_READY, true, "Exposed", desired.size() + " forward(s) exposed", gen,
                            clock.instant());
                }
            }
        });
    }

    private static ArrayNode forwardsField(List<Forward> desired, Map<String, String> conflicts, Map<String, String> failures,
            String forwarder) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Forward f : desired) {
            ObjectNode n = out.addObject()
                    .put("hostIP", f.hostIP())
                    .put("hostPort", f.hostPort())
                    .put("guestPort", f.targetPort())
                    .put("protocol", f.protocol().name())
                    .put("forwarder", forwarder)
                    .put("state", conflicts.containsKey(f.listenKey()) ? PORT_CONFLICT
                            : failures.containsKey(f.listenKey()) ? "Failed" : "Exposed");
            n.put("target", f.targetIP() + ":" + f.targetPort());
        }
        return out;
    }
}
