package dev.hypr.controller.net.forward;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * A forward's hostIP is not an address of this host (bind: EADDRNOTAVAIL). Not a port
 * conflict: nothing holds the port, the address is missing.
 */
public class HostAddressMissingException extends ForwardException {
    public HostAddressMissingException(Forward forward) {
        super("hostIP " + forward.hostIP() + " is not an address of this host (" + forward.listenKey()
                + " cannot be bound; use one of the host's addresses, 127.0.0.1 or 0.0.0.0)");
    }

    /** The JDK's words for EADDRNOTAVAIL from bind(2). */
    static boolean isAddressMissing(java.io.IOException bindError) {
        return bindError.getMessage() != null && bindError.getMessage().contains("Cannot assign requested address");
    }

    /**
     * Whether {@code ip} can be bound here: the wildcard, the loopback range, or an address of
     * an interface of this network namespace. For forwarders that cannot tell EADDRNOTAVAIL from
     * EADDRINUSE (QEMU's slirp, gvproxy), asked after their bind failed.
     */
    static boolean isLocal(String ip) {
        try {
            InetAddress a = InetAddress.getByName(ip);
            return a.isAnyLocalAddress() || a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (UnknownHostException | SocketException e) {
            return true; // cannot tell: keep the forwarder's own diagnosis
        }
    }
}
