package dev.hypr.controller.agent;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Kestrel says on every (re)connection: lets a restarted hyprd learn the workload's
 * state without rebooting the VM. configWanted: Kestrel has no workload config yet and waits
 * for a CONFIG frame before it starts the workload. health: the health check's state
 * ({@code none}, {@code starting}, {@code healthy}, {@code unhealthy}); empty from agents older
 * than health checks. bootInitMs, bootReadyMs: the guest's boot milestones in ms since the kernel
 * started (Kestrel ran as init; Kestrel opened the host channel), 0 when unknown (older agents).
 */
public record AgentHello(String agentVersion, WorkloadState workload, int pid, int lastExitCode, int restarts,
                         boolean configWanted, String health, long bootInitMs, long bootReadyMs) {
    public enum WorkloadState { NONE, RUNNING, RESTARTING, EXITED }

    static AgentHello parse(byte[] payload) {
        Map<String, String> kv = KeyValueText.parse(payload).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
        return new AgentHello(kv.getOrDefault("agent", "?"),
                WorkloadState.valueOf(kv.getOrDefault("workload", "none").toUpperCase()),
                Integer.parseInt(kv.getOrDefault("pid", "0")),
                Integer.parseInt(kv.getOrDefault("exit", "0")),
                Integer.parseInt(kv.getOrDefault("restarts", "0")),
                "wanted".equals(kv.get("config")),
                kv.getOrDefault("health", ""),
                Long.parseLong(kv.getOrDefault("boot_init_ms", "0")),
                Long.parseLong(kv.getOrDefault("boot_ready_ms", "0")));
    }
}
