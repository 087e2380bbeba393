package dev.hypr.controller.vm;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VmProcessInfo;
import dev.hypr.controller.vmm.VmmCapabilities;
import dev.hypr.controller.vmm.VmmDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Boots a microVM from a {@link VmLaunchSpec}: picks the driver, creates and starts the VMM,
 * opens its {@link VmRuntime} in {@link VmRuntimes}, connects the agent and watches the exit.
 * Knows nothing of VM objects or their status, so anything that needs a VM (the VM
 * controller, an image builder's build VM) boots it the same way.
 */
@ApplicationScoped
public class VmLauncher {
    @Inject
    HypervisorSelector hypervisors;

    @Inject
    VmRuntimes runtimes;

    public VmLauncher() {
    }

    VmLauncher(HypervisorSelector hypervisors, VmRuntimes runtimes) {
        this.hypervisors = hypervisors;
        this.runtimes = runtimes;
    }

    /** A launcher outside CDI (tests, tools): its own runtimes registry under {@code paths}. */
    public static VmLauncher standalone(HypervisorSelector hypervisors, dev.hypr.controller.config.HyprPaths paths) {
        return new VmLauncher(hypervisors, new VmRuntimes(paths));
    }

    /**
     * Kills a VM this launcher booted (or one a previous hyprd booted, from its handle alone),
     * forgets its runtime and removes its runtime directory. Idempotent.
     */
    public void destroy(String name, VmHandle handle) {
        runtimes.remove(name);
        hypervisors.forKind(handle.hypervisor()).delete(handle);
    }

    /** A booted VM: its live link and process, and the hypervisor that runs it. */
    public record Launched(VmRuntime runtime, VmProcessInfo process, HypervisorKind hypervisor) {
    }

    /**
     * Boots {@code spec} as {@code name}. {@code beforeStart} runs once the runtime directory is
     * written and before the VMM starts (to record what is booted there, so a crash between the
     * two leaves nothing unaccounted); {@code onChange} runs on every agent event and on exit.
     */
    public Launched launch(String name, VmLaunchSpec spec, HypervisorSelector.Choice choice, Runnable onChange,
            Consumer<HypervisorKind> beforeStart) {
        VmmDriver driver = hypervisors.select(choice, !spec.shares().isEmpty());
        if (!spec.shares().isEmpty() && !driver.capabilities().virtiofs()) {
            // never boot without the shares asked for (the VM controller says so earlier, as a condition)
            throw new VmConfigException(HostShares.HOST_PATH_UNSUPPORTED, driver.kind() + " cannot share host directories (virtiofs)");
        }
        VmHandle handle = driver.create(spec);
        VmRuntime rt = runtimes.open(name, handle, onChange);
        rt.resetForBoot();
        beforeStart.accept(driver.kind());
        VmProcessInfo proc = driver.start(handle);
        connectAgent(rt, driver.capabilities());
        runtimes.watchExit(name, proc, onChange);
        return new Launched(rt, proc, driver.kind());
    }

    /**
     * Re-opens the link to a VM booted earlier (by this hyprd or one before it): connects the
     * agent when the VMM still runs. Returns the live process, if any.
     */
    public Optional<VmProcessInfo> adopt(String name, VmHandle handle, Runnable onChange) {
        VmmDriver driver = hypervisors.forKind(handle.hypervisor());
        VmRuntime rt = runtimes.open(name, handle, onChange);
        Optional<VmProcessInfo> alive = driver.observe(handle);
        if (alive.isPresent()) {
            connectAgent(rt, driver.capabilities());
        }
        return alive;
    }

    private static void connectAgent(VmRuntime rt, VmmCapabilities caps) {
        rt.connect(caps.agentTransport() == VmmCapabilities.AgentTransport.HYBRID_VSOCK
                ? AgentConnection::openHybridVsock
                : AgentConnection::open);
    }
}
