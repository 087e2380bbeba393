package dev.hypr.controller.build;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.agent.ExecSession;
import dev.hypr.controller.vm.VmLauncher;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmDisk;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One build VM, booted through {@link VmLauncher} like every VM: the layers so far as its
 * read-only squashfs rootfs, and a fresh ext4 scratch disk that Kestrel makes the overlay's upper
 * layer ({@code hypr.upper=}), so everything a RUN writes lands there and
 * {@code kestrel-layer-tar} hands it back as a layer. No workload: RUN steps are exec sessions.
 * {@link #close} kills it and removes its runtime directory and disk.
 */
final class BuildVm implements AutoCloseable {
    static final String UPPER_SERIAL = "hypr-build-upper";
    static final int MEMORY_MIB = 512;
    static final long UPPER_DISK_MIB = 4096;
    static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    /** In the build's work directory: the VM's name and hypervisor, so a restarted hyprd can kill it. */
    static final String MARKER = "build-vm";

    private final VmLauncher launcher;
    private final String name;
    private final VmHandle handle;
    private final AgentConnection agent;

    private BuildVm(VmLauncher launcher, String name, VmHandle handle, AgentConnection agent) {
        this.launcher = launcher;
        this.name = name;
        this.handle = handle;
        this.agent = agent;
    }

    /** What a build VM needs from its host: the launcher, the guest kernel and initramfs, and where runtime dirs go. */
    record Host(VmLauncher launcher, Path kernel, Path initramfs, java.util.function.Function<String, Path> runtimeDir) {
    }

    /**
     * Boots a build VM named {@code name} on {@code rootfs}; its scratch disk and marker go to
     * {@code work}. {@code secrets} appear in the guest as /run/secrets/NAME (tmpfs: never in the
     * upper layer), owned by {@code user}.
     */
    static BuildVm boot(Host host, String name, Path rootfs, Path work, boolean network, List<GuestConfig.SecretFile> secrets,
            Optional<String> user) throws IOException, InterruptedException {
        return boot(host, name, rootfs, work, network, secrets, user, List.of());
    }

    /**
     * As above, with host directories shared over virtiofs at their mount paths (a RUN's cache and
     * bind mounts): Kestrel mounts them at boot, on top of the overlay, so what the step writes
     * there goes to the host directory and never to the upper layer.
     */
    static BuildVm boot(Host host, String name, Path rootfs, Path work, boolean network, List<GuestConfig.SecretFile> secrets,
            Optional<String> user, List<dev.hypr.controller.vmm.VmShare> shares) throws IOException, InterruptedException {
        Path upper = work.resolve("upper.ext4");
        makeScratchDisk(upper);
        GuestConfig guest = new GuestConfig(List.of(), List.of(), Optional.empty(), user, Optional.of("buildvm"),
                Optional.empty(), Optional.empty(), List.of(), List.of(), GuestConfig.RestartPolicy.NEVER, secrets);
        NetworkMode mode = NetworkMode.NONE;
        if (network) {
            mode = new NetworkMode.UserMode(List.of());
            guest = guest.withNetwork(NetworkMode.UserMode.GUEST_CIDR, NetworkMode.UserMode.GATEWAY,
                    List.of(NetworkMode.UserMode.DNS));
        }
        Path runtimeDir = host.runtimeDir().apply(name);
        VmLaunchSpec spec = new VmLaunchSpec(name, runtimeDir, host.kernel(), host.initramfs(), rootfs,
                List.of(new VmDisk(upper, UPPER_SERIAL, false)), 1, MEMORY_MIB,
                List.of("hypr.upper=" + UPPER_SERIAL), guest, mode);
        if (!shares.isEmpty()) spec = spec.withShares(shares);
        VmLauncher.Launched launched;
        try {
            launched = host.launcher().launch(name, spec, HypervisorSelector.Choice.AUTO, () -> { },
                    kind -> writeMarker(work, name, kind, runtimeDir));
        } catch (RuntimeException e) {
            cleanupAfterCrash(host.launcher(), work);
            throw e;
        }
        BuildVm vm = new BuildVm(host.launcher(), name, launched.runtime().handle(), launched.runtime().agent());
        try {
            vm.agent.awaitConnected(BOOT_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            vm.close();
            throw e;
        }
        return vm;
    }

    /** Runs one command; its output goes to {@code output} as it arrives. Returns the exit code. */
    int exec(ExecRequest request, Consumer<byte[]> output, Duration timeout) throws InterruptedException, IOException {
        ExecSession s = agent.exec(request, output, output);
        s.closeStdin();
        try {
            return s.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("build VM " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("build VM " + name + ": step still running after " + timeout);
        }
    }

    /** Writes the upper layer (everything the steps so far changed) as an OCI layer tar to {@code out}. */
    void captureUpper(Path out) throws IOException, InterruptedException {
        StringBuilder err = new StringBuilder();
        int code;
        try (OutputStream o = Files.newOutputStream(out)) {
            ExecSession s = agent.exec(ExecRequest.of("kestrel-layer-tar"), b -> {
                try {
                    o.write(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, b -> err.append(new String(b, java.nio.charset.StandardCharsets.UTF_8)));
            s.closeStdin();
            code = s.exitCode().get(10, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException | UncheckedIOException e) {
            throw new IOException("build VM " + name + ": capturing the layer failed: " + e.getMessage(), e);
        }
        if (code != 0) {
            throw new IOException("build VM " + name + ": capturing the layer failed (exit " + code + "): " + err.toString().strip());
        }
    }

    @Override
    public void close() {
        launcher.destroy(name, handle);
    }

    /** Kills the build VM a crashed build left in {@code work} (if its marker says there was one). Idempotent. */
    static void cleanupAfterCrash(VmLauncher launcher, Path work) {
        Path marker = work.resolve(MARKER);
        try {
            if (!Files.isRegularFile(marker)) return;
            List<String> lines = Files.readAllLines(marker);
            if (lines.size() < 3) return;
            Path runtimeDir = Path.of(lines.get(2));
            VmHandle handle = new VmHandle(lines.get(0), dev.hypr.controller.vmm.HypervisorKind.valueOf(lines.get(1)), runtimeDir);
            // hyprd may have died after the VMM wrote its pid but before its start time was recorded:
            // then the pid is trusted only if that process's command line names this build VM
            Optional<Long> pid = dev.hypr.controller.vmm.RuntimeFiles.readLong(handle.pidFile());
            if (pid.isPresent() && !Files.exists(handle.startTimeFile())) {
                try {
                    String cmdline = Files.readString(Path.of("/proc", pid.get().toString(), "cmdline")).replace('\0', ' ');
                    if (cmdline.contains(lines.get(0) + ",") || cmdline.contains(lines.get(0) + " ")) {
                        ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }
            launcher.destroy(lines.get(0), handle);
        } catch (IOException | RuntimeException e) {
            // nothing to kill, or the VM is already gone: the work dir is removed by the caller
        }
    }

    private static void writeMarker(Path work, String name, dev.hypr.controller.vmm.HypervisorKind kind, Path runtimeDir) {
        try {
            Files.write(work.resolve(MARKER), List.of(name, kind.name(), runtimeDir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sparse ext4 file: mkfs writes ~1 MiB whatever the size, and the upper only takes what RUN writes. */
    private static void makeScratchDisk(Path file) throws IOException, InterruptedException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(UPPER_DISK_MIB * 1024 * 1024);
        }
        List<String> cmd = new ArrayList<>(List.of(HostProgram.MKFS_EXT4.program(), "-q", "-F", "-m", "0", "-O", "^has_journal",
                "-E", "lazy_itable_init=1,nodiscard", file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mkfs.ext4 " + file + " failed: " + out.strip());
        }
    }
}
