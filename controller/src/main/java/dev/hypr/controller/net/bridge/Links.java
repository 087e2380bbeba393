package dev.hypr.controller.net.bridge;

import static dev.hypr.api.host.HostProgram.IP;

import dev.hypr.controller.host.HostPrograms;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux bridges and TAP devices through iproute2. Every call is idempotent: ensure leaves an
 * existing device as it is (re-applying address and state), remove ignores a missing one.
 * Without iproute2 no link of hyprd's can exist, so the queries answer "none" instead of failing:
 * cleaning up what was never created must not need the tool.
 */
public final class Links {
    private Links() {
    }

    public static boolean exists(String name) {
        return HostPrograms.installed(IP) && Cmd.tryRun(IP, "link", "show", "dev", name).ok();
    }

    /** A bridge carrying the gateway address (e.g. 10.88.0.1/16), up. */
    public static void ensureBridge(String bridge, String gatewayCidr) {
        if (!exists(bridge)) {
            Cmd.run(IP, "link", "add", "name", bridge, "type", "bridge");
        }
        if (!Cmd.tryRun(IP, "-o", "addr", "show", "dev", bridge).output().contains(" " + gatewayCidr + " ")) {
            Cmd.run(IP, "addr", "replace", gatewayCidr, "dev", bridge);
        }
        Cmd.run(IP, "link", "set", "dev", bridge, "up");
    }

    /**
     * Gives the bridge a fixed MAC. Every node gives a Network's bridge the same one (an anycast
     * gateway): when the Network spans nodes over VXLAN, a VM's gateway is always its own node's
     * bridge, whichever node answered its ARP.
     */
    public static void ensureMac(String link, String mac) {
        if (!Cmd.tryRun(IP, "-o", "link", "show", "dev", link).output().contains("link/ether " + mac + " ")) {
            Cmd.run(IP, "link", "set", "dev", link, "address", mac);
        }
    }

    /** A persistent TAP that QEMU opens by name, enslaved to the bridge and up. */
    public static void ensureTap(String tap, String bridge) {
        if (!exists(tap)) {
            Cmd.run(IP, "tuntap", "add", "dev", tap, "mode", "tap");
        }
        Cmd.run(IP, "link", "set", "dev", tap, "master", bridge, "up");
    }

    public static void remove(String name) {
        if (exists(name)) {
            Cmd.run(IP, "link", "delete", "dev", name);
        }
    }

    /** Names of all links starting with prefix (hyprd's hyb-/hyt-). */
    public static List<String> withPrefix(String prefix) {
        List<String> out = new ArrayList<>();
        if (!HostPrograms.installed(IP)) {
            return out;
        }
        for (String line : Cmd.lines(Cmd.run(IP, "-o", "link", "show"))) {
            // "12: hyt-1a2b3c4d: <BROADCAST,...>" or "13: veth0@if2: ..."
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(prefix)) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
