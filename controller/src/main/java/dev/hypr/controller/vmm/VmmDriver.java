package dev.hypr.controller.vmm;

import dev.hypr.controller.agent.AgentConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * One hypervisor behind the VM controller. Every method is idempotent and works from the
 * runtime directory alone, so a restarted hyprd can drive VMs it did not start.
 */
public interface VmmDriver {
    HypervisorKind kind();

    /** Whether this hypervisor can run here (binary present, accelerator usable). */
    boolean isUsable();

    /** Writes the runtime directory and the launch command; starts nothing. */
    VmHandle create(VmLaunchSpec spec);

    /**
     * Launches the VMM detached from hyprd (own session; reparented to init), so it survives a
     * hyprd crash and is adopted on restart. Returns once the process exists and its sockets are up.
     */
    VmProcessInfo start(VmHandle handle);

    /** The live VMM process of this handle; empty when it is gone or its pid now belongs to another process. */
    Optional<VmProcessInfo> observe(VmHandle handle);

    /**
     * Graceful stop: Kestrel poweroff through {@code agent} when connected (the guest stops its
     * processes and syncs), then the VMM's own shutdown request, then kill; each step gets its share of grace.
     */
    void stop(VmHandle handle, Duration grace, Optional<AgentConnection> agent);

    default void stop(VmHandle handle, Duration grace) {
        stop(handle, grace, Optional.empty());
    }

    /** SIGKILL and wait for the process to be gone. */
    default void kill(VmHandle handle) {
        observe(handle).flatMap(VmProcessInfo::process).ifPresent(p -> {
            p.destroyForcibly();
            RuntimeFiles.awaitExit(p.pid(), java.time.Duration.ofSeconds(10));
        });
    }

    /** Kills if running and removes the runtime directory. */
    default void delete(VmHandle handle) {
        kill(handle);
        RuntimeFiles.deleteRecursively(handle.runtimeDir());
    }
}
