package dev.hypr.controller.net.ipam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure address assignment for one network: members keep the address they have (stable across
 * VM restarts and hyprd restarts, since the result is persisted before any VM boots with it),
 * non-members are released, new members get the lowest free address. Never hands out the
 * network, gateway or broadcast address, nor an address twice.
 */
public final class Ipam {
    private Ipam() {
    }

    public static List<Allocation> assign(Subnet subnet, long gateway, List<Allocation> current, Collection<String> members) {
        Map<String, Allocation> kept = new LinkedHashMap<>();
        Set<Long> used = new HashSet<>(List.of(subnet.network(), gateway, subnet.broadcast()));
        for (Allocation a : current) {
            long ip = Subnet.parseAddress(a.ip());
            // a duplicate or out-of-range entry (subnet changed, store edited) is dropped and reassigned
            if (members.contains(a.vm()) && !kept.containsKey(a.vm()) && subnet.contains(ip) && used.add(ip)) {
                kept.put(a.vm(), new Allocation(a.vm(), a.ip(), Allocation.macFor(ip)));
            }
        }
        List<String> waiting = new ArrayList<>(members.stream().filter(m -> !kept.containsKey(m)).sorted().toList());
        for (long ip = subnet.firstHost(); ip < subnet.broadcast() && !waiting.isEmpty(); ip++) {
            if (used.add(ip)) {
                String vm = waiting.remove(0);
                kept.put(vm, new Allocation(vm, Subnet.format(ip), Allocation.macFor(ip)));
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("subnet " + subnet + " is full: no address for " + String.join(", ", waiting));
        }
        return new ArrayList<>(kept.values());
    }
}
