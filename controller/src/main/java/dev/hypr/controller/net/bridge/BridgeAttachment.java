package dev.hypr.controller.net.bridge;

import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.util.List;

/** A VM's place on a Network's bridge: its TAP, MAC, address/prefix and the gateway (which is also its DNS server). */
public record BridgeAttachment(String tap, String mac, String ip, int prefix, String gateway) {
    public String cidr() {
        return ip + "/" + prefix;
    }

    /** The launch spec with this NIC, and Kestrel told to configure it (resolv.conf pointing at hyprd's DNS on the gateway). */
    public VmLaunchSpec applyTo(VmLaunchSpec s) {
        return new VmLaunchSpec(s.name(), s.runtimeDir(), s.kernel(), s.initramfs(), s.rootfs(), s.extraDisks(), s.cpus(),
                s.memoryMiB(), s.kernelArgs(), s.guest().withNetwork(cidr(), gateway, List.of(gateway)),
                new NetworkMode.Tap(tap, mac), s.shares());
    }
}
