package dev.hypr.controller.net.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpamTest {
    private final Subnet net = Subnet.parse("10.88.0.0/24");
    private final long gw = net.firstHost();

    @Test
    void newMembersGetTheLowestFreeAddressAfterTheGateway() {
        List<Allocation> a = Ipam.assign(net, gw, List.of(), List.of("b", "a"));
        assertEquals(List.of(new Allocation("a", "10.88.0.2", "02:68:79:58:00:02"), new Allocation("b", "10.88.0.3", "02:68:79:58:00:03")), a);
    }

    @Test
    void existingAllocationsAreStableAndReleasedOnesReused() {
        List<Allocation> first = Ipam.assign(net, gw, List.of(), List.of("a", "b", "c"));
        List<Allocation> second = Ipam.assign(net, gw, first, List.of("c", "a")); // b deleted
        assertEquals(Set.of("a=10.88.0.2", "c=10.88.0.4"), describe(second));
        List<Allocation> third = Ipam.assign(net, gw, second, List.of("c", "a", "d"));
        assertEquals(Set.of("a=10.88.0.2", "c=10.88.0.4", "d=10.88.0.3"), describe(third));
    }

    @Test
    void duplicateOrForeignEntriesAreReassignedNeverShared() {
        List<Allocation> corrupt = List.of(new Allocation("a", "10.88.0.2", ""), new Allocation("b", "10.88.0.2", ""),
                new Allocation("c", "10.99.0.9", ""));
        List<Allocation> fixed = Ipam.assign(net, gw, corrupt, List.of("a", "b", "c"));
        Set<String> ips = new HashSet<>();
        fixed.forEach(x -> assertTrue(ips.add(x.ip()), "duplicate " + x.ip()));
        assertEquals("10.88.0.2", fixed.get(0).ip());
    }

    @Test
    void gatewayElsewhereInTheSubnetIsSkippedAndAFullSubnetSaysSo() {
        Subnet tiny = Subnet.parse("10.1.0.0/30"); // hosts .1 and .2
        assertEquals("10.1.0.1", Ipam.assign(tiny, Subnet.parseAddress("10.1.0.2"), List.of(), List.of("a")).get(0).ip());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Ipam.assign(tiny, tiny.firstHost(), List.of(), List.of("a", "b")));
        assertTrue(e.getMessage().contains("full: no address for b"), e.getMessage());
    }

    @Test
    void subnetArithmetic() {
        assertEquals("10.88.255.255", Subnet.format(Subnet.parse("10.88.0.0/16").broadcast()));
        assertTrue(Subnet.parse("10.88.0.0/16").overlaps(Subnet.parse("10.88.3.0/24")));
        assertTrue(!Subnet.parse("10.88.0.0/16").overlaps(Subnet.parse("10.89.0.0/24")));
        assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.88.0.1/24"));
    }

    private static Set<String> describe(List<Allocation> a) {
        Set<String> out = new HashSet<>();
        a.forEach(x -> out.add(x.vm() + "=" + x.ip()));
        return out;
    }
}
