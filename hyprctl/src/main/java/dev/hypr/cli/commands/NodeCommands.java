package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.cli.CliException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
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
     * Cordons, then lists the VMs still bound to the node. kubectl drain evicts pods that a
     * controller recreates elsewhere and refuses unmanaged ones; hypr's VMs are moved only by a
     * scheduler, which is not built yet, so drain refuses (exit 1) while VMs are bound to NODE.
     */
    @Command(name = "drain", description = {"Cordon NODE, then check that no VMs are left on it.",
            "VMs bound to NODE (spec.nodeName) are not moved yet: drain names them and fails; delete or move them, then drain again."})
    public static final class Drain extends Schedulability {
        @Override
        public Integer call() {
            setUnschedulable(true, "cordoned");
            // a node without a lease is the single node of a SQLite store: every VM runs there
            JsonNode self = Json.parseObject(api().get(GetRequest.newBuilder().setKind("node").setName(node).build()).getJson());
            boolean single = !self.path("status").has("leaseTTLSeconds");
            List<String> left = new ArrayList<>();
            for (String item : api().list(ListRequest.newBuilder().setKind("vm").build()).getItemsList()) {
                JsonNode vm = Json.parseObject(item);
                if (single || node.equals(vm.path("spec").path("nodeName").asText())) {
                    left.add(vm.path("metadata").path("name").asText());
                }
            }
            if (!left.isEmpty()) {
                err().println("error: cannot drain node/" + node + ": VMs still bound to it: " + String.join(", ", left)
                        + " (moving VMs needs the scheduler, not built yet; see docs/cluster.md)");
                return 1;
            }
            out().println("node/" + node + " drained");
            return 0;
        }
    }
}
