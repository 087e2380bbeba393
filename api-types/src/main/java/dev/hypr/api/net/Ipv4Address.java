package dev.hypr.api.net;

/** A dotted-quad IPv4 address as an unsigned 32-bit value. */
public record Ipv4Address(int bits) {
    /** Parses "10.88.0.1"; rejects leading zeros ("010.0.0.1" is octal to some tools) and anything else. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (expected a.b.c.d)");
        }
        int bits = 0;
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (each part is 0-255)");
            }
            bits = bits << 8 | Integer.parseInt(part);
        }
        return new Ipv4Address(bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
