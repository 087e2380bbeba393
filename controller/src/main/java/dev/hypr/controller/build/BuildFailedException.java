package dev.hypr.controller.build;

/** A build that cannot finish: bad input (a missing COPY source) or a failing step. The message says which step and why. */
public class BuildFailedException extends Exception {
    private final int exitCode;

    public BuildFailedException(String message) {
        this(message, -1);
    }

    public BuildFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The failing RUN's exit code; -1 when no RUN failed. */
    public int exitCode() {
        return exitCode;
    }
}
