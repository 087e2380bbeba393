package dev.hypr.controller.net.bridge;

import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.util.List;

/**
 * A VM's place on a Network's bridge: the network, its TAP, MAC, address/prefix and the gateway
 * (which is also its DNS server). {@code nic} is the NIC's number in the guest (0 = eth0).
 */
public record BridgeAttachment(String network, int nic, String tap, String mac, String ip, int prefix, String gateway) {
    public String cidr() {
        return ip + "/" + prefix;
    }

    /** The guest's interface name: virtio-net NICs are eth0, eth1... in the order hyprd adds them. */
    public String guestInterface() {
        return "eth" + nic;
    }

    /**
     * The launch spec with these NICs, and Kestrel told to configure them: address, gateway and
     * resolv.conf (hyprd's DNS on the gateway) from the first; with several, each by MAC.
     */
    public static VmLaunchSpec applyTo(List<BridgeAttachment> nics, VmLaunchSpec s) {
        if (nics.isEmpty()) {
            return s;
        }
        BridgeAttachment first = nics.get(0);
        var guest = s.guest().withNetwork(first.cidr(), first.gateway(), List.of(first.gateway()));
        List<NetworkMode.Tap> taps = nics.stream().map(n -> new NetworkMode.Tap(n.tap(), n.mac())).toList();
        NetworkMode mode = taps.size() == 1 ? taps.get(0) : new NetworkMode.Taps(taps);
        if (nics.size() > 1) {
            guest = guest.withNics(nics.stream().map(n -> n.mac() + "," + n.cidr()).toList());
        }
        return new VmLaunchSpec(s.name(), s.runtimeDir(), s.kernel(), s.initramfs(), s.rootfs(), s.extraDisks(), s.cpus(),
                s.memoryMiB(), s.kernelArgs(), guest, mode, s.shares());
    }
}
