package dev.hypr.controller.net.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.net.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNetworkTest {
    private static final String PROC_ROUTE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
            eth0\t0000000A\t0101A8C0\t0003\t0\t0\t0\t000000FF\t0\t0\t0
            hyb-1a2b3c4d\t0000580A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            garbage line
            """;

    @Test
    void procNetRouteIsReadInHostByteOrder() {
        List<HostNetwork> routes = HostNetwork.parseProcRoutes(PROC_ROUTE);
        assertEquals(List.of("route 0.0.0.0/0 via 192.168.1.1 dev eth0", "route 192.168.1.0/24 dev eth0",
                        "route 10.0.0.0/8 via 192.168.1.1 dev eth0", "route 10.88.0.0/16 dev hyb-1a2b3c4d"),
                routes.stream().map(HostNetwork::description).toList());
    }

    @Test
    void overlapsIgnoreTheDefaultRouteAndHyprdsOwnInterfaces() {
        List<HostNetwork> host = HostNetwork.parseProcRoutes(PROC_ROUTE);
        List<String> own = List.of("hyb-", "hyt-");
        assertEquals("route 192.168.1.0/24 dev eth0",
                HostNetwork.firstOverlap(Subnet.parse("192.168.0.0/16"), host, own).orElseThrow().description());
        assertEquals("route 10.0.0.0/8 via 192.168.1.1 dev eth0",
                HostNetwork.firstOverlap(Subnet.parse("10.89.0.0/24"), host, own).orElseThrow().description());
        assertTrue(HostNetwork.firstOverlap(Subnet.parse("172.16.0.0/12"), host, own).isEmpty(), "default route only");
        assertTrue(HostNetwork.firstOverlap(Subnet.parse("10.88.0.0/16"),
                List.of(host.get(3)), own).isEmpty(), "hyprd's bridge is not the host's");
    }

    @Test
    void anAddressIsItsNetwork() {
        HostNetwork a = HostNetwork.address("lan0", Ipv4Address.parse("192.168.77.10"), 24);
        assertEquals("192.168.77.0/24", a.cidr().toString());
        assertEquals("address 192.168.77.10/24 on lan0", a.description());
        assertTrue(HostNetwork.firstOverlap(Subnet.parse("192.168.77.128/25"), List.of(a), List.of()).isPresent());
        assertTrue(HostNetwork.firstOverlap(Subnet.parse("192.168.78.0/24"), List.of(a), List.of()).isEmpty());
    }
}
