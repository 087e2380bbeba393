package dev.hypr.controller.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.model.StackObjectRef;
import dev.hypr.api.model.StackServiceStatus;
import dev.hypr.controller.runtime.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A Stack's status from its services' states (docs/api.md "Stack status"). Pure. */
public final class StackStatusBuilder {
    private StackStatusBuilder() {
    }

    /** A condition that flipped in this status: what the controller announces as an event. */
    public record Flip(String type, boolean now, String reason, String message) {
    }

    public static ObjectNode build(JsonNode previous, long generation, Instant now, List<StackServiceStatus> services,
                                   List<StackObjectRef> networks, List<StackObjectRef> volumes, boolean changing) {
        ObjectNode status = previous instanceof ObjectNode p ? p.deepCopy() : Json.MAPPER.createObjectNode();
        long ready = services.stream().filter(StackStatusBuilder::isReady).count();
        List<String> failed = services.stream().filter(s -> "Failed".equals(s.phase())).map(StackServiceStatus::name).toList();
        List<StackServiceStatus> notReady = services.stream().filter(s -> !isReady(s)).toList();
        boolean allReady = notReady.isEmpty();
        status.put("observedGeneration", generation);
        status.put("servicesReady", ready + "/" + services.size());
        status.put("phase", !failed.isEmpty() ? "Degraded" : allReady && !changing ? "Running" : "Progressing");
        status.set("services", Json.MAPPER.valueToTree(services));
        status.set("networks", Json.MAPPER.valueToTree(networks));
        status.set("volumes", Json.MAPPER.valueToTree(volumes));
        String message;
        if (!failed.isEmpty()) {
            message = services.stream().filter(s -> "Failed".equals(s.phase()))
                    .map(s -> s.name() + ": " + s.lastError()).collect(Collectors.joining("; "));
        } else if (allReady) {
            message = "all " + services.size() + " services ready";
        } else {
            message = notReady.stream().map(StackStatusBuilder::progress).collect(Collectors.joining("; "));
        }
        status.put("message", message);
        Conditions.set(status, "Ready", allReady && !changing, allReady ? "AllServicesReady" : "ServicesNotReady",
                allReady ? message : ready + "/" + services.size() + " services ready", generation, now);
        boolean progressing = failed.isEmpty() && (!allReady || changing);
        Conditions.set(status, "Progressing", progressing,
                progressing ? "ServicesStarting" : failed.isEmpty() ? "Converged" : "ServiceFailed",
                progressing ? message : failed.isEmpty() ? "nothing left to do"
                        : "stopped by failed service(s) " + String.join(", ", failed), generation, now);
        Conditions.set(status, "Degraded", !failed.isEmpty(), failed.isEmpty() ? "NoFailures" : "ServiceFailed",
                failed.isEmpty() ? "no service failed" : message, generation, now);
        return status;
    }

    /** The conditions whose status differs between two statuses. */
    public static List<Flip> flips(JsonNode before, JsonNode after) {
        return List.of("Ready", "Degraded").stream()
                .filter(t -> Conditions.isTrue(before, t) != Conditions.isTrue(after, t))
                .map(t -> {
                    JsonNode c = Conditions.get(after, t).orElseThrow();
                    return new Flip(t, Conditions.isTrue(after, t), c.path("reason").asText(), c.path("message").asText());
                }).toList();
    }

    static boolean isReady(StackServiceStatus s) {
        return "Running".equals(s.phase()) || "Completed".equals(s.phase()) || "Stopped".equals(s.phase());
    }

    private static String progress(StackServiceStatus s) {
        return switch (s.phase()) {
            case "Waiting" -> s.name() + " waits for " + s.waitingFor();
            default -> s.name() + " " + s.phase().toLowerCase() + " (" + s.ready() + "/" + s.replicas() + " ready)";
        };
    }
}
