package dev.hypr.api.validation;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

final class SyncRules implements ObjectRule {
    @Override
    public void check(Manifest m, List<ManifestError> errors) {
        FieldChecks.exactlyOne(m, "/spec/source", "path", "git", errors);
    }
}
