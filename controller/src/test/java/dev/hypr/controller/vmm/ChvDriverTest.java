package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.vmm.chv.ChvDriver;
import dev.hypr.controller.vmm.chv.ChvVmConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChvDriverTest {
    private final VmLaunchSpec spec = QemuCommandBuilderTest.spec(GuestConfig.workload("sleep", "1"), NetworkMode.NONE);
    private final VmHandle handle = new VmHandle("web", HypervisorKind.CLOUD_HYPERVISOR, spec.runtimeDir());

    @Test
    void vmCreateBodyDescribesTheVm() {
        JsonNode vm = ChvVmConfig.build(spec, handle);
        assertEquals(1, vm.at("/cpus/boot_vcpus").asInt());
        assertEquals(256L * 1024 * 1024, vm.at("/memory/size").asLong());
        assertEquals("/k/vmlinux", vm.at("/payload/kernel").asText());
        assertEquals("/k/initramfs.cpio", vm.at("/payload/initramfs").asText());
        String cmdline = vm.at("/payload/cmdline").asText();
        assertTrue(cmdline.contains("hypr.halt=poweroff") && cmdline.endsWith("hypr.cfg=" + spec.guest().encodeBoot()), cmdline);
        assertFalse(vm.toString().contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("arg=sleep".getBytes())),
                "the workload config travels over the agent channel only");
        assertEquals("/img/root.squashfs", vm.at("/disks/0/path").asText());
        assertTrue(vm.at("/disks/0/readonly").asBoolean());
        assertEquals("/vol/data.ext4", vm.at("/disks/1/path").asText());
        assertEquals("/run/hypr/vms/web/agent.sock", vm.at("/vsock/socket").asText());
        assertEquals("File", vm.at("/serial/mode").asText());
    }

    @Test
    void everyTapIsOneNetConfigInGuestOrder() {
        VmLaunchSpec two = QemuCommandBuilderTest.spec(GuestConfig.workload("x"), new NetworkMode.Taps(List.of(
                new NetworkMode.Tap("hyt-00000001", "02:68:79:5a:00:02"), new NetworkMode.Tap("hyt-00000002", "02:69:79:5b:00:05"))));
        JsonNode net = ChvVmConfig.build(two, handle).path("net");
        assertEquals(2, net.size());
        assertEquals("hyt-00000001", net.get(0).path("tap").asText());
        assertEquals("02:69:79:5b:00:05", net.get(1).path("mac").asText());
    }

    @Test
    void userModeNetworkingIsRejected() {
        VmLaunchSpec user = QemuCommandBuilderTest.spec(GuestConfig.workload("x"), new NetworkMode.UserMode(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ChvVmConfig.build(user, handle));
    }

    @Test
    void launchesDetachedWithOnlyTheApiSocket() {
        List<String> cmd = new ChvDriver("/opt/chv/cloud-hypervisor").command(handle);
        assertEquals(List.of("setsid", "-f"), cmd.subList(0, 2));
        assertTrue(cmd.contains("/opt/chv/cloud-hypervisor"));
        assertEquals("path=/run/hypr/vms/web/api.sock", cmd.get(cmd.indexOf("--api-socket") + 1));
    }
}
