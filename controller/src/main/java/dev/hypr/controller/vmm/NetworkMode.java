package dev.hypr.controller.vmm;

import java.util.List;

/** How the VM reaches the network. */
public sealed interface NetworkMode {
    /** No network device at all. */
    record None() implements NetworkMode {}

    /**
     * QEMU user-mode networking (slirp): the guest is 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3;
     * inbound traffic only through host forwards.
     */
    record UserMode(List<HostForward> forwards) implements NetworkMode {
        public static final String GUEST_CIDR = "10.0.2.15/24";
        public static final String GATEWAY = "10.0.2.2";
        public static final String DNS = "10.0.2.3";

        public UserMode {
            forwards = List.copyOf(forwards);
        }
    }

    /**
     * A TAP device hyprd created and enslaved to a Network's bridge; QEMU opens it by name
     * (no helper scripts) and the guest NIC gets the MAC IPAM derived from its address.
     */
    record Tap(String tapName, String mac) implements NetworkMode {
        /**
         * The guest NIC's MTU (virtio's host_mtu, which the guest driver adopts): 1500 less the
         * 50 bytes of VXLAN encapsulation, so frames fit when the Network spans nodes over a
         * 1500-byte underlay; the same on one node, as a VM may move to another at any time.
         */
        public static final int MTU = 1450;

        public Tap {
            java.util.Objects.requireNonNull(tapName);
            java.util.Objects.requireNonNull(mac);
        }
    }

    /** Several TAPs, one NIC each, in guest order (the first is eth0): a VM on several Networks. */
    record Taps(List<Tap> nics) implements NetworkMode {
        public Taps {
            nics = List.copyOf(nics);
        }
    }

    NetworkMode NONE = new None();

    /** The TAP NICs of a mode, in guest order; none for user-mode or no network. */
    static List<Tap> taps(NetworkMode mode) {
        if (mode instanceof Tap t) {
            return List.of(t);
        }
        return mode instanceof Taps t ? t.nics() : List.of();
    }
}
