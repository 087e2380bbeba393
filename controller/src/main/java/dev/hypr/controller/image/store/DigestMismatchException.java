package dev.hypr.controller.image.store;

import dev.hypr.controller.image.ref.Digest;
import java.io.IOException;

/** Content did not hash to the digest it was fetched under; it was discarded. */
public class DigestMismatchException extends IOException {
    public DigestMismatchException(Digest expected, Digest actual, long bytes) {
        super("content of " + expected + " hashed to " + actual + " (" + bytes + " bytes); discarded");
    }
}
