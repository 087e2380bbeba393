package dev.hypr.api.net;

import java.util.List;
import java.util.Optional;

/**
 * IPv4 ranges no Network may use, whatever the host: a bridge there would take addresses the
 * kernel treats specially (RFC 6890). Overlaps with the host's own networks depend on the host
 * and are found by the Network controller.
 */
public final class ReservedRanges {
    public record Range(Ipv4Cidr cidr, String meaning) {
    }

    public static final List<Range> ALL = List.of(
            new Range(Ipv4Cidr.parse("0.0.0.0/8"), "\"this network\" (0.0.0.0/8)"),
            new Range(Ipv4Cidr.parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
            new Range(Ipv4Cidr.parse("169.254.0.0/16"), "link-local (169.254.0.0/16)"),
            new Range(Ipv4Cidr.parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
            new Range(Ipv4Cidr.parse("240.0.0.0/4"), "reserved for future use and broadcast (240.0.0.0/4)"));

    private ReservedRanges() {
    }

    /** The first reserved range the subnet overlaps. */
    public static Optional<Range> overlapping(Ipv4Cidr subnet) {
        return ALL.stream().filter(r -> r.cidr().overlaps(subnet)).findFirst();
    }
}
