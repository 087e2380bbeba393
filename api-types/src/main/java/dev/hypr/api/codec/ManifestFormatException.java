package dev.hypr.api.codec;

/** Stops decoding one document (or file) at a position; becomes a {@link ManifestError}. */
final class ManifestFormatException extends RuntimeException {
    private final SourcePosition position;

    ManifestFormatException(SourcePosition position, String message) {
        super(message, null, false, false);
        this.position = position;
    }

    SourcePosition position() {
        return position;
    }

    ManifestError toError() {
        return new ManifestError(position, "", "", getMessage());
    }
}
