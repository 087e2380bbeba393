package dev.hypr.controller.vm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;

/**
 * Where one boot's time went (status.boot, the Ready event). Two clocks: the guest's
 * milestones are Kestrel's CLOCK_BOOTTIME (ms since the guest kernel started), the host's are
 * ms since hyprd launched the VMM; the kernel starts a few ms to tens of ms after the launch
 * (QEMU's own setup), so the host figures are the ones to add up. 0 = not reached or unknown.
 */
record BootTimeline(long kernelToInitMs, long agentReadyMs, long agentConnectedMs, long workloadStartedMs,
                    long firstHealthyMs) {

    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        put(o, "kernelToInitMs", kernelToInitMs);
        put(o, "agentReadyMs", agentReadyMs);
        put(o, "agentConnectedMs", agentConnectedMs);
        put(o, "workloadStartedMs", workloadStartedMs);
        put(o, "firstHealthyMs", firstHealthyMs);
        return o;
    }

    /** For the Ready event: "kernel→init 310 ms, Kestrel ready 420 ms (guest clock); ...". */
    String summary() {
        StringBuilder b = new StringBuilder();
        if (kernelToInitMs > 0) {
            b.append("kernel handed over to init at ").append(kernelToInitMs).append(" ms, Kestrel ready at ")
                    .append(agentReadyMs).append(" ms (guest clock); ");
        }
        b.append("agent connected at ").append(agentConnectedMs).append(" ms, workload started at ")
                .append(workloadStartedMs).append(" ms after the VMM launch");
        return b.toString();
    }

    private static void put(ObjectNode o, String field, long ms) {
        if (ms > 0) {
            o.put(field, ms);
        }
    }
}
