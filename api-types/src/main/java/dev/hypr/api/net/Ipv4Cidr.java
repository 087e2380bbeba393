package dev.hypr.api.net;

/** An IPv4 network such as 10.88.0.0/16; the address has no host bits set. */
public record Ipv4Cidr(Ipv4Address network, int prefixLength) {
    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + "/" + prefixLength + " has host bits set; did you mean "
                    + new Ipv4Address(network.bits() & mask(prefixLength)) + "/" + prefixLength + "?");
        }
    }

    public static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 CIDR (expected a.b.c.d/prefix)");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 CIDR (expected a.b.c.d/prefix)");
        }
        return new Ipv4Cidr(address, Integer.parseInt(text.substring(slash + 1)));
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    /** True when the two share any address (one contains the other). */
    public boolean overlaps(Ipv4Cidr other) {
        int m = mask(Math.min(prefixLength, other.prefixLength));
        return (network.bits() & m) == (other.network.bits() & m);
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(network.bits() | ~mask(prefixLength));
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
