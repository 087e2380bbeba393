package dev.hypr.api.validation;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.net.Ipv4Address;
import dev.hypr.api.net.Ipv4Cidr;
import dev.hypr.api.net.ReservedRanges;
import java.util.List;
import java.util.Optional;

final class NetworkRules implements ObjectRule {
    @Override
    public void check(Manifest m, List<ManifestError> errors) {
        Optional<Ipv4Cidr> subnet = FieldChecks.cidr(m, "/spec/subnet", errors);
        subnet.flatMap(ReservedRanges::overlapping).ifPresent(r -> errors.add(m.errorAt("/spec/subnet",
                subnet.get() + " overlaps " + r.meaning() + ", which no network may use")));
        Optional<Ipv4Address> gateway = FieldChecks.ipv4(m, "/spec/gateway", errors);
        if (gateway.isEmpty()) {
            return;
        }
        if (!m.object().at("/spec").has("subnet")) {
            errors.add(m.errorAt("/spec/gateway", "a gateway needs an explicit subnet"));
        } else if (subnet.isPresent()) {
            Ipv4Cidr net = subnet.get();
            Ipv4Address gw = gateway.get();
            if (!net.contains(gw)) {
                errors.add(m.errorAt("/spec/gateway", gw + " is not inside subnet " + net));
            } else if (gw.equals(net.network()) || gw.equals(net.broadcast())) {
                errors.add(m.errorAt("/spec/gateway", gw + " is the network or broadcast address of " + net));
            }
        }
    }
}
