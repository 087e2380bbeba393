package dev.hypr.controller.net.ipam;

import dev.hypr.api.net.Ipv4Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the networks of the host (of hyprd's network namespace) now: interface addresses from
 * the JDK (netlink underneath) and routes from {@code /proc/net/route}, so no program is run.
 */
public final class HostNetworkProbe {
    private static final Path ROUTES = Path.of("/proc/net/route");

    private HostNetworkProbe() {
    }

    /** Where the Network controller gets the host's networks from. */
    @FunctionalInterface
    public interface Source {
        List<HostNetwork> current() throws IOException;
    }

    public static List<HostNetwork> current() throws IOException {
        List<HostNetwork> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4) {
                        out.add(HostNetwork.address(nic.getName(), Ipv4Address.parse(v4.getHostAddress()),
                                a.getNetworkPrefixLength()));
                    }
                }
            }
        } catch (SocketException e) {
            throw new IOException("cannot list the host's interfaces: " + e.getMessage(), e);
        }
        if (Files.isReadable(ROUTES)) {
            out.addAll(HostNetwork.parseProcRoutes(Files.readString(ROUTES)));
        }
        return out;
    }
}
