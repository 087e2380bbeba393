package dev.hypr.api.validation;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
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
    }
}
