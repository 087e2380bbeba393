package dev.hypr.controller.net.ipam;

/** One VM's place on a network: its address and the MAC derived from it. */
public record Allocation(String vm, String ip, String mac) {
    /**
     * Locally administered unicast MAC from the address: stable for as long as the address is,
     * and unique within the network because the address is.
     */
    public static String macFor(long ip) {
        return String.format("02:68:79:%02x:%02x:%02x", (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    }
}
