package dev.hypr.api.validation;

import dev.hypr.api.codec.JsonPointers;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

final class VmRules implements ObjectRule {
    @Override
    public void check(Manifest m, List<ManifestError> errors) {
        FieldChecks.exactlyOne(m, "/spec", "image", "rootfs", errors);
        FieldChecks.uniqueHostPorts(m, "/spec/ports", errors);
        FieldChecks.volumeMounts(m, "/spec/volumes", errors);
        FieldChecks.healthcheck(m, "/spec/healthcheck", errors);
        FieldChecks.workloadText(m, "/spec", errors);
        GuestFileRules.check(m, "/spec", errors);
        FieldChecks.stopSettings(m, "/spec", errors);
        networks(m, errors);
    }

    /** {@code network} (one NIC, or user/none) and {@code networks} (bridged NICs) exclude each other. */
    private static void networks(Manifest m, List<ManifestError> errors) {
        JsonNode networks = m.object().at("/spec/networks");
        if (m.object().at("/spec").hasNonNull("network") && !networks.isMissingNode() && !networks.isNull()) {
            errors.add(m.errorAtKey("/spec/networks", "set either network or networks, not both"));
        }
        for (int i = 0; i < networks.size(); i++) {
            String name = networks.get(i).path("name").asText("");
            if (name.equals("user") || name.equals("none")) {
                errors.add(m.errorAt(JsonPointers.child("/spec/networks", i) + "/name", name
                        + " is not a Network: use network: " + name + " (alone) for " + (name.equals("user")
                        ? "user-mode networking" : "no NIC")));
            }
        }
    }
}
