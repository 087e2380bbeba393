package dev.hypr.controller.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Host interface names hyprd owns: a fixed prefix (so leftovers after a crash are recognisable)
 * plus a hash of the object name (Linux allows 15 characters; object names are longer).
 */
public final class InterfaceNames {
    public static final String BRIDGE_PREFIX = "hyb-";
    public static final String TAP_PREFIX = "hyt-";
    public static final String VXLAN_PREFIX = "hyx-";

    private InterfaceNames() {
    }

    public static String bridge(String network) {
        return BRIDGE_PREFIX + hash(network);
    }

    /** The VXLAN device joining a Network's bridges across nodes. */
    public static String vxlan(String network) {
        return VXLAN_PREFIX + hash(network);
    }

    /** Whether a host interface is one of hyprd's (bridge, TAP, VXLAN), not the host's own. */
    public static boolean isHyprds(String link) {
        return link.startsWith(BRIDGE_PREFIX) || link.startsWith(TAP_PREFIX) || link.startsWith(VXLAN_PREFIX);
    }

    public static String tap(String vm) {
        return TAP_PREFIX + hash(vm);
    }

    /** The TAP of a VM's NIC number {@code nic}: eth0's keeps the one-NIC name. */
    public static String tap(String vm, int nic) {
        return nic == 0 ? tap(vm) : TAP_PREFIX + hash(vm + "#" + nic);
    }

    private static String hash(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
