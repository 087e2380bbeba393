package dev.hypr.controller.vmm;

/** A VMM operation failed; the message is meant for a status condition. */
public class VmmException extends RuntimeException {
    public VmmException(String message) {
        super(message);
    }

    public VmmException(String message, Throwable cause) {
        super(message, cause);
    }
}
