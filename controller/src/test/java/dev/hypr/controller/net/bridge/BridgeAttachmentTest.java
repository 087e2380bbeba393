package dev.hypr.controller.net.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.net.InterfaceNames;
import dev.hypr.controller.net.ipam.Allocation;
import dev.hypr.controller.net.ipam.Subnet;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeAttachmentTest {
    private final VmLaunchSpec bare = new VmLaunchSpec("web", Path.of("/run/hypr/vms/web"), Path.of("/k/vmlinux"),
            Path.of("/k/initramfs.cpio"), Path.of("/img/root.squashfs"), List.of(), 1, 256, List.of(), GuestConfig.workload("httpd"),
            NetworkMode.NONE);
    private final BridgeAttachment front = new BridgeAttachment("front", 0, "hyt-00000001", "02:68:79:5a:00:02", "10.90.0.2", 24, "10.90.0.1");
    private final BridgeAttachment back = new BridgeAttachment("back", 1, "hyt-00000002", "02:69:79:5b:00:05", "10.91.0.5", 24, "10.91.0.1");

    private static String boot(VmLaunchSpec s) {
        return new String(Base64.getUrlDecoder().decode(s.guest().encodeBoot()), StandardCharsets.UTF_8);
    }

    @Test
    void oneNetworkIsOneTapAndTheBootConfigOfBefore() {
        VmLaunchSpec s = BridgeAttachment.applyTo(List.of(front), bare);
        assertEquals(new NetworkMode.Tap("hyt-00000001", "02:68:79:5a:00:02"), s.network());
        assertEquals("ip=10.90.0.2/24\0gw=10.90.0.1\0dns=10.90.0.1", boot(s));
    }

    @Test
    void severalNetworksAreTapsInOrderWithEveryNicByMacAndOnlyTheFirstGatewayAndDns() {
        VmLaunchSpec s = BridgeAttachment.applyTo(List.of(front, back), bare);
        assertEquals(List.of("hyt-00000001", "hyt-00000002"), NetworkMode.taps(s.network()).stream().map(NetworkMode.Tap::tapName).toList());
        assertEquals("ip=10.90.0.2/24\0gw=10.90.0.1\0dns=10.90.0.1\0nic=02:68:79:5a:00:02,10.90.0.2/24\0nic=02:69:79:5b:00:05,10.91.0.5/24",
                boot(s));
        assertEquals("eth1", back.guestInterface());
    }

    @Test
    void nicsOfOneVmHaveDistinctMacsAndTapsEvenWhereAddressesEndAlike() {
        long a = Subnet.parseAddress("10.90.0.2");
        long b = Subnet.parseAddress("172.90.0.2"); // the same last three octets
        assertEquals("02:68:79:5a:00:02", Allocation.macFor(a), "eth0 keeps the one-NIC MAC");
        assertEquals(Allocation.macFor(a), Allocation.macFor(a, 0));
        assertEquals("02:69:79:5a:00:02", Allocation.macFor(b, 1));
        assertNotEquals(Allocation.macFor(a, 0), Allocation.macFor(b, 1));
        assertEquals(InterfaceNames.tap("web"), InterfaceNames.tap("web", 0));
        assertNotEquals(InterfaceNames.tap("web", 0), InterfaceNames.tap("web", 1));
        assertTrue(InterfaceNames.tap("a-very-long-vm-name-of-a-stack-1", 3).length() <= 15, "fits IFNAMSIZ");
    }
}
