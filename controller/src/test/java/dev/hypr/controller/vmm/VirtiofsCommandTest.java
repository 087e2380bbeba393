package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.qemu.Accelerator;
import dev.hypr.controller.vmm.qemu.QemuCommandBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The QEMU and virtiofsd command lines of a VM with host directory shares. */
class VirtiofsCommandTest {
    private static final VmShare DATA = new VmShare(Path.of("/srv/data"), "hypr-0", "/data", false);
    private static final VmShare CONF = new VmShare(Path.of("/etc/app"), "hypr-1", "/etc/app:x", true);
    private final QemuCommandBuilder builder = new QemuCommandBuilder("qemu-system-x86_64");

    private static VmLaunchSpec spec(List<VmShare> shares) {
        return QemuCommandBuilderTest.spec(GuestConfig.workload("sleep", "1"), NetworkMode.NONE).withShares(shares);
    }

    private static VmHandle handle(VmLaunchSpec spec) {
        return new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir());
    }

    @Test
    void sharesGetAMemfdBackendModernVirtioMmioAndOneVhostUserFsDeviceEach() {
        VmLaunchSpec spec = spec(List.of(DATA, CONF));
        List<String> cmd = builder.build(spec, handle(spec), Accelerator.TCG, Optional.empty());
        assertEquals("microvm,acpi=on,mem-merge=off,memory-backend=mem", cmd.get(cmd.indexOf("-M") + 1));
        assertTrue(cmd.contains("memory-backend-memfd,id=mem,size=256M,share=on"), cmd.toString());
        assertEquals("256M", cmd.get(cmd.indexOf("-m") + 1), "-m matches the backend's size");
        assertTrue(cmd.contains("virtio-mmio.force-legacy=false"));
        assertTrue(cmd.contains("socket,id=fs0,path=/run/hypr/vms/web/virtiofs-0.sock"));
        assertTrue(cmd.contains("vhost-user-fs-device,chardev=fs0,tag=hypr-0"));
        assertTrue(cmd.contains("socket,id=fs1,path=/run/hypr/vms/web/virtiofs-1.sock"));
        assertTrue(cmd.contains("vhost-user-fs-device,chardev=fs1,tag=hypr-1"));
        // the memfd object must come before the devices that map guest memory; QEMU reads them in order either way,
        // but the -daemonize stays last so the pid file names the VM's process
        assertEquals("-daemonize", cmd.get(cmd.size() - 1));
    }

    @Test
    void withoutSharesNothingChanges() {
        VmLaunchSpec spec = spec(List.of());
        List<String> cmd = builder.build(spec, handle(spec), Accelerator.TCG, Optional.empty());
        assertEquals("microvm,acpi=on,mem-merge=off", cmd.get(cmd.indexOf("-M") + 1));
        assertFalse(String.join(" ", cmd).contains("memfd"));
        assertFalse(String.join(" ", cmd).contains("force-legacy"));
        assertFalse(String.join(" ", cmd).contains("vhost-user-fs"));
    }

    @Test
    void kestrelLearnsTheSharesFromTheBootConfig() {
        VmLaunchSpec spec = spec(List.of(DATA, CONF));
        String boot = new String(Base64.getUrlDecoder().decode(spec.guest().encodeBoot()), StandardCharsets.UTF_8);
        assertTrue(boot.contains("share=hypr-0:/data:rw"), boot);
        assertTrue(boot.contains("share=hypr-1:/etc/app:x:ro"), "a ':' in the path stays: the mode is after the last one: " + boot);
        assertEquals(List.of("hypr-0:/data:rw", "hypr-1:/etc/app:x:ro"), spec.guest().shares());
        assertEquals(spec.guest().shares(), spec.guest().withHostname("x").withEnv(List.of("A=1")).shares(), "kept by the other with*s");
    }

    @Test
    void readWriteShareRunsVirtiofsdDetachedWithItsSandboxAndCache() {
        VmLaunchSpec spec = spec(List.of(DATA));
        List<String> cmd = VirtiofsDaemons.command(handle(spec), 0, DATA, Path.of("/usr/local/bin/virtiofsd"));
        assertEquals(List.of("setsid", "-f", "sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", "/run/hypr/vms/web/virtiofs-0.pid",
                "/usr/local/bin/virtiofsd", "-f", "--socket-path=/run/hypr/vms/web/virtiofs-0.sock",
                "-o", "source=/srv/data", "-o", "sandbox=namespace", "-o", "cache=auto"), cmd);
    }

    @Test
    void readOnlyShareServesAReadOnlyBindInItsOwnMountNamespace() {
        VmLaunchSpec spec = spec(List.of(CONF));
        List<String> cmd = VirtiofsDaemons.command(handle(spec), 1, CONF, Path.of("/usr/local/bin/virtiofsd"));
        int unshare = cmd.indexOf("unshare");
        assertTrue(unshare > 0, cmd.toString());
        assertEquals(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", "/etc/app", "/usr/local/bin/virtiofsd"),
                cmd.subList(unshare, unshare + 9));
        assertEquals(1, Collections.frequency(cmd, "/usr/local/bin/virtiofsd"));
    }

    @Test
    void tagsAndPathsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new VmShare(Path.of("rel"), "t", "/x", false));
        assertThrows(IllegalArgumentException.class, () -> new VmShare(Path.of("/a"), "bad tag", "/x", false));
        assertThrows(IllegalArgumentException.class, () -> new VmShare(Path.of("/a"), "t".repeat(37), "/x", false));
        assertThrows(IllegalArgumentException.class, () -> new VmShare(Path.of("/a"), "t", "x", false));
        assertEquals("t:/x:ro", new VmShare(Path.of("/a"), "t", "/x", true).bootEntry());
    }
}
