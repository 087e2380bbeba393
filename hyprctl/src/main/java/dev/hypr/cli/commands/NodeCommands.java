package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DurationConverter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl cordon|uncordon|drain NODE}, as kubectl does them for nodes. */
public final class NodeCommands {
    private NodeCommands() {
    }

    /** Sets spec.unschedulable, with the resourceVersion read: a concurrent edit is not overwritten. */
    abstract static class Schedulability extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NODE", description = "The node (hyprctl get nodes).")
        String node;

        /** Prints "node/NAME cordoned" or "... already cordoned"; returns whether it changed. */
        boolean setUnschedulable(boolean value, String verb) {
            ObjectNode current;
            try {
                current = Json.parseObject(api().get(GetRequest.newBuilder().setKind("node").setName(node).build()).getJson());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    throw new CliException("node " + node + " not found (hyprctl get nodes lists them)", 1);
                }
                throw e;
            }
            if (current.path("spec").path("unschedulable").asBoolean(false) == value) {
                out().println("node/" + node + " already " + verb);
                return false;
            }
            ObjectNode request = Json.MAPPER.createObjectNode();
            request.put("apiVersion", current.path("apiVersion").asText());
            request.put("kind", "Node");
            ObjectNode metadata = request.putObject("metadata");
            metadata.put("name", node);
            metadata.put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
            for (String kept : List.of("labels", "annotations")) {
                if (current.path("metadata").has(kept)) {
                    metadata.set(kept, current.path("metadata").get(kept));
                }
            }
            ObjectNode spec = current.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
            spec.put("unschedulable", value);
            request.set("spec", spec);
            api().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(Json.write(request))).build());
            out().println("node/" + node + " " + verb);
            return true;
        }
    }

    @Command(name = "cordon", description = "Mark NODE unschedulable: no new VMs are placed on it; its VMs keep running.")
    public static final class Cordon extends Schedulability {
        @Override
        public Integer call() {
            setUnschedulable(true, "cordoned");
            return 0;
        }
    }

    @Command(name = "uncordon", description = "Mark NODE schedulable again.")
    public static final class Uncordon extends Schedulability {
        @Override
        public Integer call() {
            setUnschedulable(false, "uncordoned");
            return 0;
        }
    }

    /**
     * kubectl drain for VMs: cordon, evict (unbind: spec.nodeName emptied, with the revision read)
     * every VM on the node, and wait until none is bound to it nor still running there; the
     * scheduler places them elsewhere, each started once its old node stopped it. VMs the user
     * pinned (bound without the scheduler's Scheduled condition) are refused, as kubectl refuses
     * unmanaged pods, unless {@code --force}. On SQLite (one node) nothing can move: drain names
     * the VMs and fails.
     */
    @Command(name = "drain", description = {"Cordon NODE, evict its VMs (the scheduler moves them to other nodes) and wait until it is empty.",
            "VMs pinned by the user (spec.nodeName set in their manifest) are refused unless --force."})
    public static final class Drain extends Schedulability {
        @Option(names = "--force", description = "Evict VMs pinned to NODE by the user too (their pin is dropped).")
        boolean force;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
                description = "Give up waiting for the node to empty after this long (default: ${DEFAULT-VALUE}).")
        java.time.Duration timeout;

        @Override
        public Integer call() {
            setUnschedulable(true, "cordoned");
            // a node without a lease is the single node of a SQLite store: every VM runs there
            JsonNode self = Json.parseObject(api().get(GetRequest.newBuilder().setKind("node").setName(node).build()).getJson());
            if (!self.path("status").has("leaseTTLSeconds")) {
                List<String> left = new ArrayList<>();
                for (JsonNode vm : vms()) {
                    left.add(vm.path("metadata").path("name").asText());
                }
                if (!left.isEmpty()) {
                    err().println("error: cannot drain node/" + node + ": VMs still on it: " + String.join(", ", left)
                            + " (a single-node store, SQLite: there is no other node to move them to)");
                    return 1;
                }
                out().println("node/" + node + " drained");
                return 0;
            }
            List<String> pinned = new ArrayList<>();
            for (JsonNode vm : vms()) {
                if (node.equals(vm.path("spec").path("nodeName").asText()) && !force && !placedByScheduler(vm)) {
                    pinned.add(vm.path("metadata").path("name").asText());
                }
            }
            if (!pinned.isEmpty()) {
                err().println("error: cannot drain node/" + node + ": VMs pinned to it by their spec.nodeName: " + String.join(", ", pinned)
                        + " (use --force to evict them too; their pin is dropped)");
                return 1;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<String> left = new ArrayList<>();
                for (JsonNode vm : vms()) {
                    String name = vm.path("metadata").path("name").asText();
                    if (node.equals(vm.path("spec").path("nodeName").asText())) {
                        evict(vm);
                        left.add(name);
                    } else if (node.equals(vm.path("status").path("nodeName").asText()) && vm.path("status").hasNonNull("pid")) {
                        left.add(name); // evicted, not yet stopped there
                    }
                }
                if (left.isEmpty()) {
                    out().println("node/" + node + " drained");
                    return 0;
                }
                if (System.nanoTime() > deadline) {
                    err().println("error: node/" + node + " not drained within " + timeout.toSeconds() + " s: still there: "
                            + String.join(", ", left));
                    return 1;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
        }

        private List<JsonNode> vms() {
            List<JsonNode> out = new ArrayList<>();
            for (String item : api().list(ListRequest.newBuilder().setKind("vm").build()).getItemsList()) {
                out.add(Json.parseObject(item));
            }
            return out;
        }

        private static boolean placedByScheduler(JsonNode vm) {
            for (JsonNode c : vm.path("status").path("conditions")) {
                if ("Scheduled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())
                        && "Bound".equals(c.path("reason").asText())) {
                    return true;
                }
            }
            return false;
        }

        /** Unbinds one VM, carrying the revision read (a concurrent change: the next round reads again). */
        private void evict(JsonNode vm) {
            ObjectNode request = Json.MAPPER.createObjectNode();
            request.put("apiVersion", vm.path("apiVersion").asText());
            request.put("kind", "VM");
            ObjectNode metadata = request.putObject("metadata");
            metadata.put("name", vm.path("metadata").path("name").asText());
            metadata.put("resourceVersion", vm.path("metadata").path("resourceVersion").asText());
            for (String kept : List.of("labels", "annotations")) {
                if (vm.path("metadata").has(kept)) {
                    metadata.set(kept, vm.path("metadata").get(kept));
                }
            }
            ObjectNode spec = vm.path("spec").deepCopy();
            spec.put("nodeName", ""); // empty unbinds
            request.set("spec", spec);
            try {
                api().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(Json.write(request))).build());
                out().println("vm/" + metadata.path("name").asText() + " evicted");
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ABORTED && e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }
}
