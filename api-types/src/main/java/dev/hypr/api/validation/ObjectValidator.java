package dev.hypr.api.validation;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

/** Validates objects against the CRD schemas in crds/ and the rules a schema cannot say. (stub) */
public final class ObjectValidator {
    public static ObjectValidator standard() {
        return new ObjectValidator();
    }

    /** Validates one object, applying schema defaults to it in place. */
    public List<ManifestError> validate(Manifest manifest) {
        return List.of();
    }

    /** Validates every object and also rejects duplicates (same kind and name twice). */
    public List<ManifestError> validateAll(List<Manifest> manifests) {
        return List.of();
    }
}
