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

    /** What this hypervisor supports (agent transport, user-mode networking, hot-plug). */
    VmmCapabilities capabilities();

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
    default Optional<VmProcessInfo> observe(VmHandle handle) {
        return RuntimeFiles.observe(handle);
    }

    /**
     * Graceful stop: Kestrel poweroff through {@code agent} when connected (the guest stops its
     * processes and syncs), then the VMM's own shutdown request, then kill; each step gets its share of grace.
     */
    default void stop(VmHandle handle, Duration grace, Optional<AgentConnection> agent) {
        Optional<VmProcessInfo> vm = observe(handle);
        if (vm.isEmpty()) {
            return;
        }
        long pid = vm.get().pid();
        if (agent.isPresent() && agent.get().isConnected()) {
            try {
                agent.get().poweroff();
                if (RuntimeFiles.awaitExit(pid, grace)) {
                    return;
                }
            } catch (RuntimeException e) {
                // the agent went away mid-request: ask the VMM instead
            }
        }
        try {
            requestVmmShutdown(handle);
            if (RuntimeFiles.awaitExit(pid, java.time.Duration.ofSeconds(5))) {
                return;
            }
        } catch (java.io.IOException e) {
            // the VMM's control socket is gone or wedged: kill below
        }
        kill(handle);
    }

    /** Asks the VMM itself to end the VM (QMP quit, cloud-hypervisor's shutdown API). */
    void requestVmmShutdown(VmHandle handle) throws java.io.IOException;

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
