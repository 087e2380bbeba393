package dev.hypr.controller.vmm.chv;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.RuntimeFiles;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VmProcessInfo;
import dev.hypr.controller.vmm.VmmCapabilities;
import dev.hypr.controller.vmm.VmmDriver;
import dev.hypr.controller.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * cloud-hypervisor: the process starts with only --api-socket, then vm.create and vm.boot
 * over REST. Kestrel's channel is hybrid vsock (open it with AgentConnection.openHybridVsock).
 */
public final class ChvDriver implements VmmDriver {
    private final String binary;

    public ChvDriver(String binary) {
        this.binary = binary;
    }

    public ChvDriver() {
        this("cloud-hypervisor");
    }

    @Override
    public VmmCapabilities capabilities() {
        return new VmmCapabilities(VmmCapabilities.AgentTransport.HYBRID_VSOCK, false, true);
    }

    @Override
    public HypervisorKind kind() {
        return HypervisorKind.CLOUD_HYPERVISOR;
    }

    /** Needs the binary and a working /dev/kvm: cloud-hypervisor has no emulation fallback. */
    @Override
    public boolean isUsable() {
        Path kvm = Path.of("/dev/kvm");
        return onPath(binary) && Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    /** The launch command: setsid detaches it from hyprd's session; sh records the pid before exec. */
    public List<String> command(VmHandle handle) {
        return List.of(HostProgram.SETSID.program(), "-f", HostProgram.SH.program(), "-c", "echo $$ > \"$0\"; exec \"$@\"", handle.pidFile().toString(),
                binary, "--api-socket", "path=" + handle.controlSocket(), "--log-file", handle.runtimeDir().resolve("vmm.log").toString());
    }

    @Override
    public VmHandle create(VmLaunchSpec spec) {
        // Disk paths travel in vm.create's JSON, where a comma is just a character; only
        // --api-socket is an option string, and cloud-hypervisor has no escape for its commas.
        if (spec.runtimeDir().toString().contains(",")) throw new VmmException("cloud-hypervisor options cannot carry ',' in " + spec.runtimeDir());
        VmHandle handle = new VmHandle(spec.name(), HypervisorKind.CLOUD_HYPERVISOR, spec.runtimeDir());
        RuntimeFiles.writeCommand(handle, command(handle));
        RuntimeFiles.writeAtomically(handle.runtimeDir().resolve("vm.json"), ChvVmConfig.build(spec, handle).toPrettyString());
        RuntimeFiles.writeWorkloadConfig(handle, spec.guest());
        return handle;
    }

    @Override
    public VmProcessInfo start(VmHandle handle) {
        Optional<VmProcessInfo> running = observe(handle);
        if (running.isPresent()) return running.get();
        try {
            for (Path stale : List.of(handle.pidFile(), handle.controlSocket(), handle.agentSocket())) Files.deleteIfExists(stale);
            Process launcher = new ProcessBuilder(RuntimeFiles.readCommand(handle))
                    .redirectOutput(handle.stderrFile().toFile()).redirectErrorStream(true).start();
            launcher.waitFor();
            VmProcessInfo info = RuntimeFiles.recordStart(handle, Duration.ofSeconds(5));
            RuntimeFiles.awaitFile(handle.controlSocket(), Duration.ofSeconds(5));
            ChvApiClient api = new ChvApiClient(handle.controlSocket());
            expectOk(api.put("vm.create", Files.readString(handle.runtimeDir().resolve("vm.json"))), "vm.create");
            expectOk(api.put("vm.boot", null), "vm.boot");
            return info;
        } catch (IOException e) {
            kill(handle);
            throw new VmmException("cloud-hypervisor start of " + handle.name() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted");
        }
    }

    @Override
    public void requestVmmShutdown(VmHandle handle) throws IOException {
        ChvApiClient api = new ChvApiClient(handle.controlSocket());
        api.put("vm.shutdown", null);
        api.put("vmm.shutdown", null);
    }


    private static void expectOk(ChvApiClient.Response r, String what) throws IOException {
        if (!r.ok()) throw new IOException(what + " returned HTTP " + r.status() + ": " + r.body());
    }

    private static boolean onPath(String binary) {
        if (binary.contains("/")) return Files.isExecutable(Path.of(binary));
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) return true;
        }
        return false;
    }
}
