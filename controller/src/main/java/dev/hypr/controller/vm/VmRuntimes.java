package dev.hypr.controller.vm;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmProcessInfo;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * hyprd's live links to running VMs ({@link VmRuntime}: agent channel, what the agent said,
 * the workload log), by name, and the watches on their VMM processes. Shared by the VM
 * controller, which opens and closes them, and the API (exec, logs), which only looks up.
 * Memory only: after a hyprd restart the controller re-opens them by adoption.
 */
@ApplicationScoped
public class VmRuntimes {
    @Inject
    HyprPaths paths;

    private final Map<String, VmRuntime> runtimes = new ConcurrentHashMap<>();
    private final Map<String, Long> exitWatches = new ConcurrentHashMap<>();

    public VmRuntimes() {
    }

    VmRuntimes(HyprPaths paths) {
        this.paths = paths;
    }

    /** The live link to {@code name}, or null. */
    VmRuntime get(String name) {
        return runtimes.get(name);
    }

    /**
     * A fresh link for {@code handle} (a new boot, or adoption), replacing and closing any
     * previous one; {@code onChange} runs whenever the agent reports something.
     */
    VmRuntime open(String name, VmHandle handle, Runnable onChange) {
        VmRuntime rt = new VmRuntime(handle, new VmLogFile(logFile(name), VmLogFile.DEFAULT_MAX_BYTES), onChange);
        VmRuntime previous = runtimes.put(name, rt);
        if (previous != null) {
            previous.close();
        }
        return rt;
    }

    /** Runs {@code onExit} when the VMM process ends; once per process however often it is called. */
    void watchExit(String name, VmProcessInfo p, Runnable onExit) {
        if (Long.valueOf(p.pid()).equals(exitWatches.put(name, p.pid()))) {
            return;
        }
        p.process().ifPresent(h -> h.onExit().thenRun(onExit));
    }

    /** Forgets {@code name}: closes its agent channel and its log (the files stay). */
    Optional<VmRuntime> remove(String name) {
        exitWatches.remove(name);
        VmRuntime rt = runtimes.remove(name);
        if (rt != null) {
            rt.close();
        }
        return Optional.ofNullable(rt);
    }

    /** The live agent channel of a VM, for exec. */
    public Optional<AgentConnection> agent(String name) {
        return Optional.ofNullable(runtimes.get(name)).map(VmRuntime::agent).filter(AgentConnection::isConnected);
    }

    /** A VM's workload log, for logs (it outlives the VM's run, not the VM object). */
    public Path logFile(String name) {
        return paths.vmLog(name);
    }

    void closeAll(@Observes ShutdownEvent ev) {
        // VMs keep running across a hyprd restart; only hyprd's side of each channel closes.
        runtimes.values().forEach(VmRuntime::close);
    }
}
