package dev.hypr.controller.net.ipam;

/** One VM's place on a network: its address and the MAC derived from it. */
public record Allocation(String vm, String ip, String mac) {
    /**
     * Locally administered unicast MAC from the address: stable for as long as the address is,
     * and unique within the network because the address is.
     */
    public static String macFor(long ip) {
        return macFor(ip, 0);
    }

    /**
     * The MAC of a VM's NIC number {@code nic} (0 = eth0): the second octet counts NICs, so the
     * NICs of one VM differ even where their addresses end alike (10.90.0.2 and 10.91.0.2).
     */
    public static String macFor(long ip, int nic) {
        return String.format("02:%02x:79:%02x:%02x:%02x", 0x68 + nic, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    }
}
