package dev.hypr.api.validation;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

/** A rule about one object that a schema cannot state; runs only on schema-valid objects. */
interface ObjectRule {
    void check(Manifest manifest, List<ManifestError> errors);
}
