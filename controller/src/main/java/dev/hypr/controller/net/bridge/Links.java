package dev.hypr.controller.net.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * Linux bridges and TAP devices through iproute2. Every call is idempotent: ensure leaves an
 * existing device as it is (re-applying address and state), remove ignores a missing one.
 */
public final class Links {
    private Links() {
    }

    public static boolean exists(String name) {
        return Cmd.tryRun("ip", "link", "show", "dev", name).ok();
    }

    /** A bridge carrying the gateway address (e.g. 10.88.0.1/16), up. */
    public static void ensureBridge(String bridge, String gatewayCidr) {
        if (!exists(bridge)) {
            Cmd.run("ip", "link", "add", "name", bridge, "type", "bridge");
        }
        if (!Cmd.tryRun("ip", "-o", "addr", "show", "dev", bridge).output().contains(" " + gatewayCidr + " ")) {
            Cmd.run("ip", "addr", "replace", gatewayCidr, "dev", bridge);
        }
        Cmd.run("ip", "link", "set", "dev", bridge, "up");
    }

    /** A persistent TAP that QEMU opens by name, enslaved to the bridge and up. */
    public static void ensureTap(String tap, String bridge) {
        if (!exists(tap)) {
            Cmd.run("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        }
        Cmd.run("ip", "link", "set", "dev", tap, "master", bridge, "up");
    }

    public static void remove(String name) {
        if (exists(name)) {
            Cmd.run("ip", "link", "delete", "dev", name);
        }
    }

    /** Names of all links starting with prefix (hyprd's hyb-/hyt-). */
    public static List<String> withPrefix(String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : Cmd.lines(Cmd.run("ip", "-o", "link", "show"))) {
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
