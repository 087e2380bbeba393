package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.qemu.Accelerator;
import dev.hypr.controller.vmm.qemu.QemuCommandBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandBuilderTest {
    private final QemuCommandBuilder builder = new QemuCommandBuilder("qemu-system-x86_64");

    static VmLaunchSpec spec(GuestConfig guest, NetworkMode net) {
        return new VmLaunchSpec("web", Path.of("/run/hypr/vms/web"), Path.of("/k/vmlinux"), Path.of("/k/initramfs.cpio"),
                Path.of("/img/root.squashfs"), List.of(new VmDisk(Path.of("/vol/data.ext4"), "hypr-data", false),
                        new VmDisk(Path.of("/vol/cfg.ext4"), "hypr-cfg", true)), 1, 256, List.of("loglevel=4"), guest, net);
    }

    private static String after(List<String> cmd, String flag) {
        return cmd.get(cmd.indexOf(flag) + 1);
    }

    @Test
    void tcgCommandHasTheMeasuredBootChoices() {
        VmLaunchSpec spec = spec(GuestConfig.workload("sleep", "1"), NetworkMode.NONE);
        VmHandle handle = new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir());
        List<String> cmd = builder.build(spec, handle, Accelerator.TCG, Optional.of(2445430L));
        assertEquals("microvm,acpi=on,mem-merge=off", after(cmd, "-M")); // KSM opt-in only (hypr.ksm)
        assertEquals("tcg,tb-size=16", after(cmd, "-accel"));
        assertTrue(cmd.contains("virtio-balloon-device,free-page-reporting=on"), "freed guest pages go back to the host");
        assertEquals("1", after(cmd, "-smp"));
        assertEquals("256M", after(cmd, "-m"));
        assertTrue(cmd.containsAll(List.of("-nodefaults", "-no-user-config", "-no-reboot", "-daemonize")));
        assertEquals("/k/vmlinux", after(cmd, "-kernel"));
        assertEquals("/run/hypr/vms/web/vmm.pid", after(cmd, "-pidfile"));
        assertEquals("unix:/run/hypr/vms/web/qmp.sock,server=on,wait=off", after(cmd, "-qmp"));
        String append = after(cmd, "-append");
        for (String arg : List.of("reboot=t", "panic=-1", "cryptomgr.notests", "quiet", "tsc_early_khz=2445430", "loglevel=4")) {
            assertTrue(List.of(append.split(" ")).contains(arg), arg + " missing from " + append);
        }
        assertTrue(append.endsWith("hypr.cfg=" + spec.guest().encodeBoot()));
        assertTrue(cmd.contains("socket,id=agent,path=/run/hypr/vms/web/agent.sock,server=on,wait=off"));
        assertTrue(cmd.contains("virtserialport,chardev=agent,name=dev.hypr.agent"));
        assertTrue(cmd.contains("id=root,file=/img/root.squashfs,format=raw,if=none,readonly=on"));
        assertTrue(cmd.contains("id=disk1,file=/vol/data.ext4,format=raw,if=none"));
        assertTrue(cmd.contains("virtio-blk-device,drive=disk1,serial=hypr-data"), "the guest finds a volume by serial");
        assertTrue(cmd.contains("id=disk2,file=/vol/cfg.ext4,format=raw,if=none,readonly=on"), "readOnly is read-only to QEMU");
        assertTrue(cmd.contains("virtio-blk-device,drive=disk2,serial=hypr-cfg"));
        assertFalse(cmd.contains("-netdev"), "network none has no NIC");
    }

    @Test
    void ksmIsOptIn() {
        VmLaunchSpec spec = spec(GuestConfig.workload("sleep", "1"), NetworkMode.NONE);
        VmHandle handle = new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir());
        List<String> cmd = new QemuCommandBuilder("qemu-system-x86_64", true).build(spec, handle, Accelerator.TCG, Optional.empty());
        assertEquals("microvm,acpi=on,mem-merge=on", after(cmd, "-M"));
    }

    @Test
    void kvmUsesHostCpuAndNoTscHint() {
        VmLaunchSpec spec = spec(GuestConfig.workload("sleep", "1"), NetworkMode.NONE);
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.KVM, Optional.of(1L));
        assertEquals("kvm", after(cmd, "-accel"));
        assertEquals("host", after(cmd, "-cpu"));
        assertFalse(after(cmd, "-append").contains("tsc_early_khz"));
    }

    @Test
    void userModeNetworkCarriesHostForwards() {
        VmLaunchSpec spec = spec(GuestConfig.workload("httpd"),
                new NetworkMode.UserMode(List.of(HostForward.tcp("127.0.0.1", 8080, 80))));
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty());
        assertEquals("user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80", after(cmd, "-netdev"));
        assertTrue(cmd.contains("virtio-net-device,netdev=n0"));
    }

    @Test
    void tapNetworkOpensHyprdsTapByNameWithTheIpamMac() {
        VmLaunchSpec spec = spec(GuestConfig.workload("httpd"), new NetworkMode.Tap("hyt-1a2b3c4d", "02:68:79:59:00:02"));
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty());
        assertEquals("tap,id=n0,ifname=hyt-1a2b3c4d,script=no,downscript=no", after(cmd, "-netdev"));
        assertTrue(cmd.contains("virtio-net-device,netdev=n0,mac=02:68:79:59:00:02,host_mtu=1450"), cmd.toString());
    }

    @Test
    void severalNetworksAreOneTapNetdevAndNicEachInGuestOrder() {
        VmLaunchSpec spec = spec(GuestConfig.workload("httpd"), new NetworkMode.Taps(List.of(
                new NetworkMode.Tap("hyt-00000001", "02:68:79:5a:00:02"), new NetworkMode.Tap("hyt-00000002", "02:69:79:5b:00:05"))));
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty());
        List<String> netdevs = new java.util.ArrayList<>();
        for (int i = 0; i < cmd.size() - 1; i++) {
            if (cmd.get(i).equals("-netdev") || cmd.get(i).equals("-device") && cmd.get(i + 1).startsWith("virtio-net")) {
                netdevs.add(cmd.get(i + 1));
            }
        }
        assertEquals(List.of("tap,id=n0,ifname=hyt-00000001,script=no,downscript=no", "virtio-net-device,netdev=n0,mac=02:68:79:5a:00:02,host_mtu=1450",
                "tap,id=n1,ifname=hyt-00000002,script=no,downscript=no", "virtio-net-device,netdev=n1,mac=02:69:79:5b:00:05,host_mtu=1450"), netdevs);
    }

    @Test
    void theWorkloadConfigIsNotOnTheCommandLine() {
        String big = "x".repeat(64 * 1024);
        VmLaunchSpec spec = spec(GuestConfig.workload("echo", big).withEnv(List.of("PASSWORD=hunter2")), NetworkMode.NONE);
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty());
        String all = String.join(" ", cmd);
        assertFalse(all.contains(big) || all.contains("hunter2") || all.contains("echo"), "workload config leaked to the VMM's argv");
        String cfg = after(cmd, "-append").replaceAll(".*hypr.cfg=", "");
        String boot = new String(java.util.Base64.getUrlDecoder().decode(cfg), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(boot.contains("arg=") || boot.contains("env="), boot);
    }

    @Test
    void refusesAKernelCommandLineTheKernelWouldTruncate() {
        VmLaunchSpec spec = new VmLaunchSpec("web", Path.of("/run/hypr/vms/web"), Path.of("/k/vmlinux"), Path.of("/k/initramfs.cpio"),
                Path.of("/img/root.squashfs"), List.of(), 1, 256, List.of("x=" + "y".repeat(2100)), GuestConfig.workload("true"), NetworkMode.NONE);
        assertThrows(IllegalArgumentException.class, () ->
                builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty()));
    }

    @Test
    void aCommaInADiskPathStaysInsideTheFileValue() {
        VmLaunchSpec spec = new VmLaunchSpec("web", Path.of("/run/hypr/vms/web"), Path.of("/k/vmlinux"), Path.of("/k/initramfs.cpio"),
                Path.of("/x/inj,file=/x/other.squashfs"), List.of(new VmDisk(Path.of("/v/a,b.ext4"), "hypr-ab", false)), 1, 256, List.of(),
                GuestConfig.workload("true"), NetworkMode.NONE);
        List<String> cmd = builder.build(spec, new VmHandle("web", HypervisorKind.QEMU, spec.runtimeDir()), Accelerator.TCG, Optional.empty());
        assertTrue(cmd.contains("id=root,file=/x/inj,,file=/x/other.squashfs,format=raw,if=none,readonly=on"), cmd.toString());
        assertTrue(cmd.contains("id=disk1,file=/v/a,,b.ext4,format=raw,if=none"), cmd.toString());
    }
}
