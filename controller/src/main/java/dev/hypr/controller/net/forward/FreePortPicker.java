package dev.hypr.controller.net.forward;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Asks the kernel for a free port by binding port 0 on the address, as docker picks ephemeral ports. */
public final class FreePortPicker implements HostPortAssignments.PortPicker {
    private static final int ATTEMPTS = 20;

    @Override
    public Integer pick(String hostIP, String protocol, Set<Integer> avoid) {
        for (int i = 0; i < ATTEMPTS; i++) {
            Integer port = bindAny(hostIP, protocol);
            if (port == null) {
                return null;
            }
            if (!avoid.contains(port)) {
                return port;
            }
        }
        return null;
    }

    private static Integer bindAny(String hostIP, String protocol) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(hostIP), 0);
            if ("UDP".equalsIgnoreCase(protocol)) {
                try (DatagramSocket s = new DatagramSocket(at)) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(at);
                return s.getLocalPort();
            }
        } catch (IOException e) {
            return null; // the address is not on this host: the forward fails and says so
        }
    }
}
