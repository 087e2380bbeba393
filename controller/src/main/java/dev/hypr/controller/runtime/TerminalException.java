package dev.hypr.controller.runtime;

/**
 * A failure retrying cannot fix (bad spec, missing file the user must provide). The
 * reconciler reports it in a condition; the runtime stops retrying until the object or a
 * watched input changes.
 */
public class TerminalException extends RuntimeException {
    public TerminalException(String message) {
        super(message);
    }

    public TerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
