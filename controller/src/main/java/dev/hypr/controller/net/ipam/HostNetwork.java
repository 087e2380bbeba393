package dev.hypr.controller.net.ipam;

import dev.hypr.api.net.Ipv4Address;
import dev.hypr.api.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A network the host already uses: an interface's address (with its prefix) or a route. A
 * Network whose subnet overlaps one would take the host's addresses or shadow its routes (the
 * bridge's connected route wins over the LAN's), so the Network controller refuses it.
 *
 * @param description how users see it: "address 192.168.1.10/24 on eth0", "route 10.0.0.0/8 via 192.168.1.1 dev eth0"
 */
public record HostNetwork(Ipv4Cidr cidr, String device, String description) {

    /** The first host network the subnet overlaps, ignoring hyprd's own bridges and TAPs (prefixes given). */
    public static Optional<HostNetwork> firstOverlap(Subnet subnet, Collection<HostNetwork> host, Collection<String> ownPrefixes) {
        Ipv4Cidr wanted = Ipv4Cidr.parse(subnet.toString());
        return host.stream()
                .filter(h -> ownPrefixes.stream().noneMatch(h.device()::startsWith))
                .filter(h -> h.cidr().prefixLength() > 0) // the default route "overlaps" everything by design
                .filter(h -> h.cidr().overlaps(wanted))
                .findFirst();
    }

    /** An interface address as a network: 192.168.1.10/24 → 192.168.1.0/24. */
    public static HostNetwork address(String device, Ipv4Address address, int prefixLength) {
        Ipv4Cidr net = new Ipv4Cidr(new Ipv4Address(address.bits() & mask(prefixLength)), prefixLength);
        return new HostNetwork(net, device, "address " + address + "/" + prefixLength + " on " + device);
    }

    /**
     * The routes of {@code /proc/net/route} (this network namespace's main table): whitespace-
     * separated columns Iface, Destination, Gateway, Flags, RefCnt, Use, Metric, Mask…, with
     * addresses in hex in host (little-endian) byte order. Lines that do not parse are skipped.
     */
    public static List<HostNetwork> parseProcRoutes(String text) {
        List<HostNetwork> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                int destination = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
                int gateway = Integer.reverseBytes(Integer.parseUnsignedInt(f[2], 16));
                int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
                int prefix = Integer.bitCount(mask);
                Ipv4Cidr net = new Ipv4Cidr(new Ipv4Address(destination & mask(prefix)), prefix);
                String via = gateway == 0 ? "" : " via " + new Ipv4Address(gateway);
                out.add(new HostNetwork(net, f[0], "route " + net + via + " dev " + f[0]));
            } catch (IllegalArgumentException e) {
                // a malformed line: skip it
            }
        }
        return out;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
