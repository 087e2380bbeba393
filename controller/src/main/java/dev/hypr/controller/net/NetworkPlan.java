package dev.hypr.controller.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.model.NetworkSpec;
import dev.hypr.controller.net.ipam.Subnet;
import java.util.Collection;

/**
 * Subnet and gateway of a Network: as the spec says, else derived. The default network gets
 * 10.88.0.0/16 (as podman's); others the first 10.89-10.254.x.0/24 no other network uses.
 * Once chosen, the subnet in status is kept, so allocations stay valid.
 */
public record NetworkPlan(Subnet subnet, long gateway) {
    public static final String DEFAULT_SUBNET = "10.88.0.0/16";

    public static NetworkPlan of(String name, NetworkSpec spec, JsonNode status, Collection<Subnet> others) {
        Subnet subnet;
        if (spec.subnet() != null && !spec.subnet().isBlank()) {
            subnet = Subnet.parse(spec.subnet());
        } else if (status.hasNonNull("subnet")) {
            subnet = Subnet.parse(status.get("subnet").asText());
        } else if (NetworkChoice.DEFAULT_NETWORK.equals(name)) {
            subnet = Subnet.parse(DEFAULT_SUBNET);
        } else {
            subnet = firstFree(others);
        }
        long gateway = spec.gateway() != null && !spec.gateway().isBlank() ? Subnet.parseAddress(spec.gateway()) : subnet.firstHost();
        if (!subnet.contains(gateway) || gateway == subnet.network() || gateway == subnet.broadcast()) {
            throw new IllegalArgumentException("gateway " + Subnet.format(gateway) + " is not a host address of " + subnet);
        }
        for (Subnet o : others) {
            if (o.overlaps(subnet)) {
                throw new IllegalArgumentException("subnet " + subnet + " overlaps " + o + " of another network");
            }
        }
        return new NetworkPlan(subnet, gateway);
    }

    private static Subnet firstFree(Collection<Subnet> others) {
        for (int b = 89; b < 255; b++) {
            Subnet candidate = Subnet.parse("10." + b + ".0.0/24");
            if (others.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.x.0.0/24 subnet left; set spec.subnet");
    }
}
