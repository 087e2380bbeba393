package dev.hypr.controller.vmm;

import dev.hypr.controller.agent.AgentConnection;
import java.nio.file.Path;

/**
 * A created VM, identified by its runtime directory; rebuilt from that directory alone
 * after a hyprd restart, so it carries no live objects.
 */
public record VmHandle(String name, HypervisorKind hypervisor, Path runtimeDir) {
    /** Kestrel's channel: QEMU's virtio-serial chardev or cloud-hypervisor's hybrid vsock socket. */
    public Path agentSocket() {
        return runtimeDir.resolve("agent.sock");
    }

    /** QMP (QEMU) or the REST API socket (cloud-hypervisor). */
    public Path controlSocket() {
        return runtimeDir.resolve(hypervisor == HypervisorKind.QEMU ? "qmp.sock" : "api.sock");
    }

    /** Kestrel's workload config (argv, env, secrets): 0600, sent over the agent channel, never on a command line. */
    public Path workloadConfigFile() {
        return runtimeDir.resolve(AgentConnection.WORKLOAD_CONFIG_FILE);
    }

    public Path consoleLog() {
        return runtimeDir.resolve("console.log");
    }

    public Path pidFile() {
        return runtimeDir.resolve("vmm.pid");
    }

    /** Process start time recorded at launch, to tell our VMM from a later process reusing its pid. */
    public Path startTimeFile() {
        return runtimeDir.resolve("vmm.starttime");
    }

    /** The launch command, one argument per line, written by create and run by start. */
    public Path commandFile() {
        return runtimeDir.resolve("vmm.cmd");
    }

    public Path stderrFile() {
        return runtimeDir.resolve("vmm.stderr");
    }
}
