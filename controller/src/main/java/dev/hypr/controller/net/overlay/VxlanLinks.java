package dev.hypr.controller.net.overlay;

import static dev.hypr.api.host.HostProgram.BRIDGE;
import static dev.hypr.api.host.HostProgram.IP;

import dev.hypr.controller.net.bridge.Cmd;
import dev.hypr.controller.net.bridge.Links;
import dev.hypr.controller.vmm.NetworkMode;
import java.util.HashSet;
import java.util.Set;

/**
 * The kernel's VXLAN devices through iproute2: one per spanning Network, with learning off
 * (its forwarding entries come from the store, not from flooding), enslaved to the bridge.
 * Every call is idempotent.
 */
final class VxlanLinks {
    /** The all-zero MAC: the entries for broadcast, multicast and unknown unicast (one per peer). */
    static final String FLOOD = "00:00:00:00:00:00";

    private VxlanLinks() {
    }

    /** A forwarding entry: frames for {@code mac} go to the node at {@code dst}. */
    record Entry(String mac, String dst) {
    }

    /** Creates (or re-creates, when its identifier, address or port changed) the device, on the bridge and up. */
    static void ensure(OverlayPlan p) {
        String details = Links.exists(p.vxlan()) ? Cmd.tryRun(IP, "-d", "-o", "link", "show", "dev", p.vxlan()).output() : "";
        boolean current = details.contains("vxlan id " + p.vni() + " ") && details.contains("local " + p.localAddress() + " ")
                && details.contains("dstport " + p.port() + " ");
        if (!details.isEmpty() && !current) {
            Links.remove(p.vxlan());
        }
        if (!current) {
            Cmd.run(IP, "link", "add", p.vxlan(), "mtu", Integer.toString(NetworkMode.Tap.MTU), "type", "vxlan",
                    "id", Integer.toString(p.vni()), "dstport", Integer.toString(p.port()), "local", p.localAddress(), "nolearning");
        }
        Cmd.run(IP, "link", "set", "dev", p.vxlan(), "master", p.bridge(), "up");
    }

    /** The device's own entries (those with a destination node), not the bridge's learned ones. */
    static Set<Entry> entries(String vxlan) {
        Set<Entry> out = new HashSet<>();
        for (String line : Cmd.run(BRIDGE, "fdb", "show", "dev", vxlan).lines().toList()) {
            // "00:00:00:00:00:00 dst 10.9.0.2 self permanent"
            String[] f = line.trim().split("\\s+");
            for (int i = 1; i + 1 < f.length; i++) {
                if ("dst".equals(f[i])) {
                    out.add(new Entry(f[0], f[i + 1]));
                }
            }
        }
        return out;
    }

    /** Makes the device's entries exactly {@code wanted}. */
    static void sync(String vxlan, Set<Entry> wanted) {
        Set<Entry> have = entries(vxlan);
        for (Entry e : have) {
            if (!wanted.contains(e)) {
                Cmd.tryRun(BRIDGE, "fdb", "del", e.mac(), "dev", vxlan, "dst", e.dst());
            }
        }
        for (Entry e : wanted) {
            if (!have.contains(e)) {
                // several flooding entries coexist (append); a VM's MAC has one node (replace)
                Cmd.run(BRIDGE, "fdb", FLOOD.equals(e.mac()) ? "append" : "replace", e.mac(), "dev", vxlan, "dst", e.dst());
            }
        }
    }

    static Set<Entry> wanted(OverlayPlan p) {
        Set<Entry> out = new HashSet<>();
        p.peers().forEach(peer -> out.add(new Entry(FLOOD, peer)));
        p.remoteMacs().forEach((mac, peer) -> out.add(new Entry(mac, peer)));
        return out;
    }
}
