package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.cli.compose.StackVms.StackVm;
import dev.hypr.cli.output.Fields;
import dev.hypr.cli.output.KindColumns;
import dev.hypr.cli.output.TablePrinter;
import java.util.List;

/** {@code hyprctl compose ps}: one row per VM of the stack, as {@code docker compose ps} lists containers. */
public final class PsTable {
    static final List<String> HEADERS = List.of("NAME", "SERVICE", "IMAGE", "STATUS", "HEALTH", "PORTS");

    private PsTable() {
    }

    public static TablePrinter of(List<StackVm> vms) {
        TablePrinter table = new TablePrinter(HEADERS);
        for (StackVm vm : vms) {
            JsonNode o = vm.object();
            table.row(List.of(vm.name(), vm.service(), Fields.textOr(o, "", "spec.image", "spec.rootfs"), status(o),
                    health(o), ports(o)));
        }
        return table;
    }

    /** The VM's phase, with the exit code once its workload ended and the restarts when there were any. */
    static String status(JsonNode vm) {
        String phase = Fields.phase(vm);
        String exit = Fields.text(vm, "status.lastExitCode");
        if (("Succeeded".equals(phase) || "Failed".equals(phase)) && exit != null) {
            phase += " (exit " + exit + ")";
        }
        String restarts = Fields.text(vm, "status.restartCount");
        if (restarts != null && !"0".equals(restarts)) {
            phase += ", restarted " + restarts + "x";
        }
        return phase;
    }

    /** healthy / unhealthy / starting from the VM's health state; empty without a health check. */
    static String health(JsonNode vm) {
        String state = Fields.text(vm, "status.health.status");
        if (state != null) {
            return state.toLowerCase(java.util.Locale.ROOT);
        }
        for (JsonNode c : vm.path("status").path("conditions")) {
            if ("Healthy".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText()) ? "healthy" : "unhealthy";
            }
        }
        return "";
    }

    static String ports(JsonNode vm) {
        String forwards = KindColumns.forwards(vm.path("status").path("forwards"));
        return Fields.NONE.equals(forwards) ? "" : forwards;
    }
}
