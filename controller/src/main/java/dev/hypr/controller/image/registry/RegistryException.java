package dev.hypr.controller.image.registry;

import java.io.IOException;

/** A registry operation failed; {@link #failure()} says why in a form a condition reason can carry. */
public class RegistryException extends IOException {
    /** Condition reasons, named as the Image status reports them. */
    public enum Failure {
        Unauthorized, ManifestUnknown, BlobUnknown, RegistryUnreachable, DigestMismatch, UnsupportedManifest,
        PlatformNotFound, RegistryError
    }

    private final Failure failure;

    public RegistryException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public RegistryException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
