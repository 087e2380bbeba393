package dev.hypr.controller.image.ref;

/** A reference, digest or platform string that cannot name anything; retrying will not help. */
public class InvalidReferenceException extends IllegalArgumentException {
    public InvalidReferenceException(String message) {
        super(message);
    }
}
