package dev.hypr.api.compose;

import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;

/** Stops loading at a problem that leaves nothing sensible to translate (bad YAML, a missing file). */
final class ComposeException extends RuntimeException {
    private final transient ManifestError error;

    ComposeException(SourcePosition at, String composePath, String message) {
        super(message, null, false, false);
        this.error = new ManifestError(at, "", composePath, message);
    }

    ManifestError error() {
        return error;
    }
}
