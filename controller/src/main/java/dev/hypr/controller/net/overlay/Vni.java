package dev.hypr.controller.net.overlay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * A Network's VXLAN network identifier: derived from its uid (so nodes creating the same
 * Network at once mostly agree), moved to the next free one when another Network holds it,
 * and then kept in the Network's status. 24 bits; 0 is never used.
 */
public final class Vni {
    static final int MAX = (1 << 24) - 1;

    private Vni() {
    }

    /** The stored one when still free, else the uid's, probing past those {@code taken} by other Networks. */
    public static int choose(int stored, String uid, Collection<Integer> taken) {
        if (stored > 0 && stored <= MAX && !taken.contains(stored)) {
            return stored;
        }
        if (taken.size() >= MAX) {
            throw new IllegalStateException("no free VXLAN network identifier");
        }
        int vni = fromUid(uid);
        while (taken.contains(vni)) {
            vni = vni % MAX + 1;
        }
        return vni;
    }

    static int fromUid(String uid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
            int v = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
            return v % MAX + 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
