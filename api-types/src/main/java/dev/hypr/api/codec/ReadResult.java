package dev.hypr.api.codec;

import java.util.List;

/** What reading one or more manifest files produced: objects, or the errors that stop an apply. */
public record ReadResult(List<Manifest> manifests, List<ManifestError> errors) {
    public boolean ok() {
        return errors.isEmpty();
    }
}
