package dev.hypr.controller.vmm.qemu;

import dev.hypr.controller.host.HostPrograms;
import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.vmm.HostForward;
import dev.hypr.controller.vmm.HostTsc;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.RuntimeFiles;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.vmm.VirtiofsDaemons;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VmProcessInfo;
import dev.hypr.controller.vmm.VmmCapabilities;
import dev.hypr.controller.vmm.VmmDriver;
import dev.hypr.controller.vmm.VmmException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** QEMU {@code -M microvm}: KVM when usable, TCG otherwise; QMP for shutdown and port forwards. */
public final class QemuDriver implements VmmDriver {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String binary;
    private final Path tscCacheFile;
    private final QemuCommandBuilder commands;

    /**
     * @param stateDir hyprd's state directory; the host TSC frequency is cached under cache/.
     * @param ksm guest RAM offered to the host's KSM (QemuCommandBuilder's memMerge).
     */
    public QemuDriver(String binary, Path stateDir, boolean ksm) {
        this.binary = binary;
        this.tscCacheFile = stateDir.resolve("cache").resolve("tsc_khz");
        this.commands = new QemuCommandBuilder(binary, ksm);
    }

    public QemuDriver(String binary, Path stateDir) {
        this(binary, stateDir, false);
    }

    public QemuDriver(Path stateDir) {
        this("qemu-system-x86_64", stateDir);
    }

    @Override
    public VmmCapabilities capabilities() {
        return new VmmCapabilities(VmmCapabilities.AgentTransport.VIRTIO_SERIAL, true, false, true);
    }

    @Override
    public HypervisorKind kind() {
        return HypervisorKind.QEMU;
    }

    @Override
    public boolean isUsable() {
        return onPath(binary);
    }

    public Accelerator accelerator() {
        return Accelerator.detect(binary);
    }

    @Override
    public VmHandle create(VmLaunchSpec spec) {
        for (Path p : List.of(spec.kernel(), spec.initramfs(), spec.rootfs())) {
            if (!Files.isReadable(p)) throw new VmmException("cannot read " + p);
        }
        if (spec.runtimeDir().toString().contains(",")) throw new VmmException("QEMU options cannot carry ',' in " + spec.runtimeDir());
        VmHandle handle = new VmHandle(spec.name(), HypervisorKind.QEMU, spec.runtimeDir());
        Accelerator accel = accelerator();
        Optional<Long> tsc = accel == Accelerator.TCG ? HostTsc.khz(tscCacheFile) : Optional.empty();
        RuntimeFiles.writeCommand(handle, commands.build(spec, handle, accel, tsc));
        Path virtiofsd = spec.shares().isEmpty() ? Path.of(HostProgram.VIRTIOFSD.program())
                : HostPrograms.locate(HostProgram.VIRTIOFSD).orElseThrow(() -> new VmmException(HostProgram.VIRTIOFSD.notFoundMessage()));
        VirtiofsDaemons.writeCommands(handle, spec.shares(), virtiofsd);
        RuntimeFiles.writeWorkloadConfig(handle, spec.guest());
        return handle;
    }

    @Override
    public VmProcessInfo start(VmHandle handle) {
        Optional<VmProcessInfo> running = observe(handle);
        if (running.isPresent()) return running.get();
        List<String> cmd = RuntimeFiles.readCommand(handle);
        for (Path stale : List.of(handle.pidFile(), handle.startTimeFile(), handle.agentSocket(), handle.controlSocket())) {
            try {
                Files.deleteIfExists(stale);
            } catch (IOException e) {
                throw new VmmException("cannot remove stale " + stale + ": " + e.getMessage(), e);
            }
        }
        // QEMU's -daemonize sets umask 027; the console shows the kernel command line: owner only
        RuntimeFiles.ownerOnly(handle.consoleLog());
        VirtiofsDaemons.startAll(handle); // QEMU connects to their sockets as it starts
        try {
            // The foreground QEMU exits once the daemon child has the VM and its sockets set up.
            Process launcher = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(handle.stderrFile().toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!launcher.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new VmmException("QEMU for " + handle.name() + " did not daemonize within " + START_TIMEOUT);
            }
            if (launcher.exitValue() != 0) {
                throw new VmmException("QEMU for " + handle.name() + " failed (exit " + launcher.exitValue() + ")"
                        + RuntimeFiles.tail(handle.stderrFile()));
            }
        } catch (IOException e) {
            VirtiofsDaemons.stopAll(handle);
            throw new VmmException(HostPrograms.startFailure(HostProgram.QEMU, cmd.get(0), e), e);
        } catch (InterruptedException e) {
            VirtiofsDaemons.stopAll(handle);
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted while starting " + handle.name());
        } catch (RuntimeException e) {
            VirtiofsDaemons.stopAll(handle);
            throw e;
        }
        return RuntimeFiles.recordStart(handle, Duration.ofSeconds(5));
    }

    /**
     * QEMU, if it still runs. Once QEMU's recorded process is gone (crashed, killed, powered off),
     * its virtiofsds are stopped too; they normally exit by themselves when QEMU disconnects.
     * Not before QEMU is recorded: start runs virtiofsd first and records QEMU's start time last.
     */
    @Override
    public Optional<VmProcessInfo> observe(VmHandle handle) {
        Optional<VmProcessInfo> vm = RuntimeFiles.observe(handle);
        if (vm.isEmpty() && Files.exists(handle.startTimeFile())) {
            VirtiofsDaemons.stopAll(handle);
        }
        return vm;
    }

    @Override
    public void stop(VmHandle handle, Duration grace, Optional<AgentConnection> agent) {
        VmmDriver.super.stop(handle, grace, agent);
        VirtiofsDaemons.stopAll(handle);
    }

    @Override
    public void kill(VmHandle handle) {
        VmmDriver.super.kill(handle);
        VirtiofsDaemons.stopAll(handle);
    }

    @Override
    public void requestVmmShutdown(VmHandle handle) throws IOException {
        try (QmpClient qmp = QmpClient.connect(handle.controlSocket())) {
            qmp.quit();
        }
    }


    /** Adds a user-mode forward to a running VM (the networking controller's Forwarder uses this). */
    public void addHostForward(VmHandle handle, HostForward forward) {
        // HMP reports the outcome only as text: silence means success, anything else is the error
        hmp(handle, "hostfwd_add " + QemuCommandBuilder.NETDEV_ID + " " + forward.toQemuRule(), String::isEmpty);
    }

    public void removeHostForward(VmHandle handle, HostForward forward) {
        // success: "host forwarding rule for tcp:127.0.0.1:8080 removed"; failure: "... not found"
        hmp(handle, "hostfwd_remove " + QemuCommandBuilder.NETDEV_ID + " "
                + forward.protocol().name().toLowerCase() + ":" + forward.hostAddress() + ":" + forward.hostPort(),
                out -> out.endsWith(" removed"));
    }

    private void hmp(VmHandle handle, String command, java.util.function.Predicate<String> succeeded) {
        try (QmpClient qmp = QmpClient.connect(handle.controlSocket())) {
            String out = qmp.humanMonitorCommand(command).trim();
            if (!succeeded.test(out)) throw new VmmException(command + ": " + out);
        } catch (IOException e) {
            throw new VmmException(command + ": " + e.getMessage(), e);
        }
    }

    static boolean onPath(String binary) {
        if (binary.contains("/")) return Files.isExecutable(Path.of(binary));
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) return true;
        }
        return false;
    }
}
