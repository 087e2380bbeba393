package dev.hypr.controller.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.model.StackServiceStatus.StackPort;
import dev.hypr.controller.runtime.Conditions;
import java.util.ArrayList;
import java.util.List;

/** What the Stack controller reads of one of its VMs. */
public record ObservedVm(String name, String service, String specHash, boolean current, String phase, boolean ready,
                         String healthy, String message, Integer lastExitCode, List<StackPort> ports, boolean deleting) {

    public static ObservedVm of(ObjectNode vm) {
        JsonNode meta = vm.path("metadata");
        JsonNode status = vm.path("status");
        String name = meta.path("name").asText();
        // the VM runs its current spec once its controller has observed this generation
        boolean current = status.path("observedGeneration").asLong(-1) == meta.path("generation").asLong(0);
        String healthy = Conditions.get(status, "Healthy").map(c -> c.path("status").asText()).orElse(null);
        String message = Conditions.get(status, "Ready").map(c -> c.path("message").asText(null)).orElse(null);
        List<StackPort> ports = new ArrayList<>();
        status.path("forwards").forEach(f -> ports.add(new StackPort(name, f.path("hostIP").asText(null),
                f.hasNonNull("hostPort") ? f.get("hostPort").asInt() : null,
                f.hasNonNull("guestPort") ? f.get("guestPort").asInt() : null, f.path("protocol").asText(null))));
        return new ObservedVm(name, meta.path("labels").path(StackLabels.SERVICE).asText(null),
                meta.path("annotations").path(StackLabels.SPEC_HASH).asText(null), current, status.path("phase").asText(null),
                Conditions.isTrue(status, "Ready"), healthy, message,
                status.hasNonNull("lastExitCode") ? status.get("lastExitCode").asInt() : null, ports,
                meta.hasNonNull("deletionTimestamp"));
    }

    public boolean runs(String hash) {
        return hash.equals(specHash) && current && !deleting;
    }

    public boolean succeeded() {
        return "Succeeded".equals(phase);
    }

    public boolean failed() {
        return "Failed".equals(phase);
    }

    /** Ready, or its workload completed with exit code 0. */
    public boolean done() {
        return ready || succeeded();
    }
}
