package dev.hypr.controller.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.compose.ServiceHash;
import dev.hypr.api.model.StackDependency;
import dev.hypr.api.model.StackService;
import dev.hypr.api.model.StackServiceStatus;
import dev.hypr.api.model.StackServiceStatus.StackPort;
import dev.hypr.api.model.StackSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Stack controller's decisions, pure: from the Stack's spec and the VMs it has, which VMs
 * to create, update or delete, and each service's status. Services are independent unless a
 * dependency holds them back; a VM whose {@code hypr.dev/spec-hash} matches is left alone, so
 * an unchanged stack restarts nothing (docs/compose.md "How a Stack runs").
 */
public final class StackPlanner {
    static final String PLACEHOLDER_VM = "{vm}";

    private final String stack;
    private final StackSpec spec;
    private final Map<String, StackService> services = new LinkedHashMap<>();
    private final Map<String, List<ObservedVm>> vmsByService = new HashMap<>();
    private final List<ObservedVm> vms;
    private final Map<String, String> hashes = new HashMap<>();
    private final Map<String, StackServiceStatus> states = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final List<StackPlan.VmWrite> writes = new ArrayList<>();
    private final Map<String, String> restarts;

    private StackPlanner(String stack, StackSpec spec, Map<String, String> restarts, List<ObservedVm> vms) {
        this.stack = stack;
        this.spec = spec;
        this.restarts = restarts;
        this.vms = vms;
        if (spec.services() != null) {
            spec.services().forEach(s -> services.put(s.name(), s));
        }
        vms.forEach(v -> vmsByService.computeIfAbsent(v.service(), k -> new ArrayList<>()).add(v));
    }

    /** @param vms every VM labelled with this stack */
    public static StackPlan plan(String stack, StackSpec spec, List<ObservedVm> vms) {
        return plan(stack, spec, Map.of(), vms);
    }

    /**
     * @param restarts per service, the value of the Stack's {@code restart.hypr.dev/<service>} annotation
     *                 (see {@link StackLabels#restarts}); a service without one is hashed as if it never had one
     * @param vms every VM labelled with this stack
     */
    public static StackPlan plan(String stack, StackSpec spec, Map<String, String> restarts, List<ObservedVm> vms) {
        return new StackPlanner(stack, spec, restarts, vms).run();
    }

    private StackPlan run() {
        List<String> deletes = new ArrayList<>();
        for (ObservedVm vm : vms) {
            StackService s = vm.service() == null ? null : services.get(vm.service());
            int index = s == null ? -1 : StackLabels.replicaIndex(stack, s.name(), vm.name());
            if (!vm.deleting() && (s == null || index < 1 || index > replicas(s))) {
                deletes.add(vm.name());
            }
        }
        deletes.sort(Comparator.naturalOrder());
        List<StackServiceStatus> out = new ArrayList<>();
        services.keySet().forEach(name -> out.add(state(name)));
        return new StackPlan(List.copyOf(writes), deletes, out);
    }

    static int replicas(StackService s) {
        return s.replicas() == null ? 1 : s.replicas();
    }

    /**
     * The hash a service's VMs carry: its VM spec (with a placeholder for the replica's name),
     * plus the hash of every dependency declared with {@code restart: true}, so recreating that
     * dependency recreates this service too. A restart request ({@code restart.hypr.dev/<service>})
     * is part of the hash only when present, so an absent annotation never changes it
     * (docs/compose.md "Restarting and recreating services").
     */
    String hash(String name) {
        String known = hashes.get(name);
        if (known != null) {
            return known;
        }
        StackService s = services.get(name);
        ObjectNode input = Json.MAPPER.createObjectNode();
        VmTemplates.Built b = VmTemplates.build(stack, spec, s, PLACEHOLDER_VM);
        input.set("vm", Json.MAPPER.valueToTree(b.spec()));
        input.set("problems", Json.MAPPER.valueToTree(b.problems()));
        String restart = restarts.get(name);
        if (restart != null) {
            input.put("restart", restart);
        }
        hashes.put(name, "cycle"); // the translator rejects cycles; this only keeps a bad Stack from recursing forever
        ObjectNode restartWith = input.putObject("restartWith");
        for (StackDependency d : dependencies(s)) {
            if (Boolean.TRUE.equals(d.restart()) && services.containsKey(d.service())) {
                restartWith.put(d.service(), hash(d.service()));
            }
        }
        String h = ServiceHash.of(input);
        hashes.put(name, h);
        return h;
    }

    /** dependencies, plus a Started dependency for each dependsOn entry they do not describe. */
    static List<StackDependency> dependencies(StackService s) {
        List<StackDependency> out = new ArrayList<>();
        Set<String> described = new HashSet<>();
        if (s.dependencies() != null) {
            for (StackDependency d : s.dependencies()) {
                out.add(d);
                described.add(d.service());
            }
        }
        if (s.dependsOn() != null) {
            s.dependsOn().stream().filter(d -> !described.contains(d)).forEach(d -> out.add(new StackDependency(d, "Started", true, false)));
        }
        return out;
    }

    private StackServiceStatus state(String name) {
        StackServiceStatus known = states.get(name);
        if (known != null) {
            return known;
        }
        if (!inProgress.add(name)) {
            return new StackServiceStatus(name, "Failed", 0, 0, "None", null, List.of(), null, "dependency cycle through " + name, List.of());
        }
        StackServiceStatus st = compute(services.get(name));
        states.put(name, st);
        return st;
    }

    private StackServiceStatus compute(StackService s) {
        String hash = hash(s.name());
        int n = replicas(s);
        Map<String, ObservedVm> mine = new HashMap<>();
        vmsByService.getOrDefault(s.name(), List.of()).forEach(v -> mine.put(v.name(), v));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(StackLabels.vmName(stack, s.name(), i));
        }
        List<ObservedVm> running = names.stream().map(mine::get).filter(v -> v != null && v.runs(hash)).toList();
        int ready = (int) running.stream().filter(ObservedVm::done).count();
        List<StackPort> ports = new ArrayList<>();
        running.forEach(v -> ports.addAll(v.ports()));
        String health = health(running);

        VmTemplates.Built template = VmTemplates.build(stack, spec, s, PLACEHOLDER_VM);
        String note = template.notes().isEmpty() ? null : String.join("; ", template.notes());
        if (n == 0) {
            return status(s, "Stopped", n, 0, "None", hash, names, null, note, ports);
        }
        if (!template.problems().isEmpty()) {
            return status(s, "Failed", n, ready, health, hash, names, null, String.join("; ", template.problems()), ports);
        }
        DependencyGate gate = gate(s);
        if (gate.failure() != null) {
            return status(s, "Failed", n, ready, health, hash, names, null, gate.failure(), ports);
        }
        boolean pending = false;
        for (String vm : names) {
            ObservedVm seen = mine.get(vm);
            if (seen != null && (seen.deleting() || hash.equals(seen.specHash()))) {
                continue;
            }
            pending = true;
            if (gate.open()) {
                writes.add(new StackPlan.VmWrite(s.name(), vm, VmTemplates.build(stack, spec, s, vm).spec(), hash, seen == null));
            }
        }
        var failed = running.stream().filter(ObservedVm::failed).findFirst();
        if (failed.isPresent()) {
            ObservedVm f = failed.get();
            return status(s, "Failed", n, ready, health, hash, names, null, "VM " + f.name() + ": " + (f.message() == null ? "failed" : f.message()), ports);
        }
        if (ready == n && !pending) {
            String phase = running.stream().allMatch(ObservedVm::succeeded) ? "Completed" : "Running";
            return status(s, phase, n, ready, health, hash, names, null, note, ports);
        }
        if (pending && !gate.open()) {
            return status(s, "Waiting", n, ready, health, hash, names, gate.waitingText(), note, ports);
        }
        return status(s, "Starting", n, ready, health, hash, names, null, note, ports);
    }

    private static StackServiceStatus status(StackService s, String phase, int n, int ready, String health, String hash, List<String> vms,
                                             String waitingFor, String lastError, List<StackPort> ports) {
        return new StackServiceStatus(s.name(), phase, n, ready, health, hash, vms, waitingFor, lastError, ports);
    }

    /** The worst health of the VMs: Unhealthy, Starting, Healthy; None when no VM has a health check. */
    static String health(List<ObservedVm> vms) {
        boolean any = false;
        boolean starting = false;
        for (ObservedVm v : vms) {
            if (v.healthy() == null) {
                continue;
            }
            any = true;
            if (v.healthy().equals("False")) {
                return "Unhealthy";
            }
            if (!v.healthy().equals("True")) {
                starting = true;
            }
        }
        return !any ? "None" : starting ? "Starting" : "Healthy";
    }

    DependencyGate gate(StackService s) {
        List<String> waiting = new ArrayList<>();
        for (StackDependency d : dependencies(s)) {
            boolean required = !Boolean.FALSE.equals(d.required());
            StackService dep = services.get(d.service());
            if (dep == null) {
                if (required) {
                    return new DependencyGate(waiting, "depends on " + d.service() + ", which is not a service of the stack");
                }
                continue;
            }
            int n = replicas(dep);
            if (n == 0) {
                continue;
            }
            StackServiceStatus depState = state(dep.name());
            String condition = d.condition() == null ? "Started" : d.condition();
            String depHash = hash(dep.name());
            List<ObservedVm> depVms = vmsByService.getOrDefault(dep.name(), List.of()).stream()
                    .filter(v -> v.runs(depHash) && StackLabels.replicaIndex(stack, dep.name(), v.name()) <= n).toList();
            boolean depFailed = "Failed".equals(depState.phase())
                    || condition.equals("CompletedSuccessfully") && depVms.stream().anyMatch(ObservedVm::failed);
            if (depFailed) {
                if (required) {
                    return new DependencyGate(waiting, "dependency " + dep.name() + " failed"
                            + (depState.lastError() == null ? "" : ": " + depState.lastError()));
                }
                continue;
            }
            long met = depVms.stream().filter(v -> meets(v, condition)).count();
            if (met < n) {
                waiting.add(dep.name() + " " + words(condition));
            }
        }
        return new DependencyGate(waiting, null);
    }

    private static boolean meets(ObservedVm v, String condition) {
        return switch (condition) {
            case "Healthy" -> "True".equals(v.healthy());
            case "CompletedSuccessfully" -> v.succeeded() && (v.lastExitCode() == null || v.lastExitCode() == 0);
            default -> "Running".equals(v.phase()) || v.succeeded();
        };
    }

    private static String words(String condition) {
        return switch (condition) {
            case "Healthy" -> "to be healthy";
            case "CompletedSuccessfully" -> "to complete successfully";
            default -> "to start";
        };
    }
}
