package dev.hypr.controller.net.forward;

/** A forwarder could not do what was asked; the reconciler retries with back-off. */
public class ForwardException extends Exception {
    public ForwardException(String message) {
        super(message);
    }

    public ForwardException(String message, Throwable cause) {
        super(message, cause);
    }
}
