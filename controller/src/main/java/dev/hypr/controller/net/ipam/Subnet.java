package dev.hypr.controller.net.ipam;

/** An IPv4 CIDR with the arithmetic IPAM needs. Addresses are unsigned ints in a long. */
public record Subnet(long network, int prefix) {
    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("subnet prefix must be /8../30, got /" + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException(format(network) + "/" + prefix + " has host bits set");
        }
    }

    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + cidr);
        }
        return new Subnet(parseAddress(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    public static long parseAddress(String ip) {
        String[] p = ip.trim().split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long v = 0;
        for (String octet : p) {
            int o = Integer.parseInt(octet);
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            v = (v << 8) | o;
        }
        return v;
    }

    public static String format(long ip) {
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }

    private static long mask(int prefix) {
        return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** The first usable address: the default gateway. */
    public long firstHost() {
        return network + 1;
    }

    public long broadcast() {
        return network | (~mask(prefix) & 0xFFFFFFFFL);
    }

    public boolean contains(long ip) {
        return (ip & mask(prefix)) == network;
    }

    public boolean overlaps(Subnet other) {
        int p = Math.min(prefix, other.prefix);
        return (network & mask(p)) == (other.network & mask(p));
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
