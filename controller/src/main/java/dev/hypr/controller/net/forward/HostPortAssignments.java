package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.model.PortMapping;
import dev.hypr.api.model.VmSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Resolves a VM's {@code spec.ports} to host ports. An entry with hostPort keeps it; one without
 * (compose's bare {@code "80"}) is published on an ephemeral port, as docker does: the one
 * already recorded in {@code status.ports} for that entry (so it stays the same across hyprd and
 * VM restarts while the VM exists), else a free one picked now. Pure but for the picker.
 */
public final class HostPortAssignments {

    /** Picks a host port free now on an address; null when none could be found. */
    @FunctionalInterface
    public interface PortPicker {
        Integer pick(String hostIP, String protocol, Set<Integer> avoid);
    }

    private HostPortAssignments() {
    }

    /**
     * @param recorded the VM's {@code status.ports} (missing or an array)
     * @param picker   null while nothing is published (VM not running): recorded ports are kept, none is picked
     */
    public static List<AssignedPort> resolve(VmSpec spec, JsonNode recorded, PortPicker picker) {
        List<AssignedPort> previous = new ArrayList<>();
        if (recorded != null && recorded.isArray()) {
            recorded.forEach(n -> {
                AssignedPort p = AssignedPort.fromJson(n);
                if (p != null && p.ephemeral()) {
                    previous.add(p);
                }
            });
        }
        List<PortMapping> ports = spec.ports() == null ? List.of() : spec.ports();
        Set<Integer> taken = new HashSet<>();
        ports.forEach(p -> {
            if (p.hostPort() != null) {
                taken.add(p.hostPort());
            }
        });
        List<AssignedPort> out = new ArrayList<>();
        for (PortMapping p : ports) {
            String ip = p.hostIP() == null || p.hostIP().isBlank() ? PublishedPorts.ANY_ADDRESS : p.hostIP();
            String proto = p.protocol() == null ? "TCP" : p.protocol().toUpperCase(Locale.ROOT);
            if (p.hostPort() != null) {
                out.add(new AssignedPort(ip, p.hostPort(), p.guestPort(), proto, false));
                continue;
            }
            AssignedPort kept = previous.stream().filter(a -> a.sameEntry(ip, p.guestPort(), proto) && !taken.contains(a.hostPort()))
                    .findFirst().orElse(null);
            if (kept != null) {
                previous.remove(kept);
                out.add(kept);
                taken.add(kept.hostPort());
            } else if (picker != null) {
                Integer port = picker.pick(ip, proto, taken);
                if (port != null) {
                    out.add(new AssignedPort(ip, port, p.guestPort(), proto, true));
                    taken.add(port);
                }
            }
        }
        return out;
    }
}
