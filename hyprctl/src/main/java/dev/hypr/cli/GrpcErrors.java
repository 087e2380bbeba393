package dev.hypr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.regex.Pattern;

/** Turns a gRPC status from hyprd into what the user reads on stderr. */
public final class GrpcErrors {
    /** {@code FILE:LINE:COL: ...}: already a complete message, printed as it is. */
    private static final Pattern POSITIONED = Pattern.compile("^\\S+:\\d+:\\d+: .*");

    private GrpcErrors() {
    }

    /**
     * Prints the error and returns the exit code. INVALID_ARGUMENT carries one error per line;
     * lines that start with a position are printed verbatim, others as {@code error: ...}.
     */
    public static int report(StatusRuntimeException e, String target, PrintWriter err) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription().strip();
        switch (status.getCode()) {
            case UNAVAILABLE -> err.println("error: " + unavailable(e, target, description));
            case INVALID_ARGUMENT -> {
                if (description.isEmpty()) {
                    err.println("error: invalid request");
                }
                for (String line : description.split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    err.println(POSITIONED.matcher(line).matches() ? line : "error: " + line);
                }
            }
            case ABORTED -> err.println("error: conflict: " + orDefault(description,
                    "the object was changed by someone else; re-read it and try again"));
            case DEADLINE_EXCEEDED -> err.println("error: hyprd at " + target + " did not answer in time"
                    + (description.isEmpty() ? "" : " (" + description + ")"));
            case UNIMPLEMENTED -> err.println("error: hyprd at " + target + " does not support this request"
                    + (description.isEmpty() ? "" : ": " + description));
            default -> err.println("error: " + orDefault(description, humanCode(status.getCode())));
        }
        return 1;
    }

    /**
     * What UNAVAILABLE means here. The transport's own failure carries its cause: a socket that
     * refuses us (EACCES) is not a daemon that is down. One hyprd sent (no cause crosses the wire)
     * with a description is hyprd answering, and says what is unavailable.
     */
    static String unavailable(StatusRuntimeException e, String target, String description) {
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof java.io.IOException io && io.getMessage() != null
                    && io.getMessage().contains("Permission denied")) {
                return SocketPermissions.denied(target);
            }
            cause = cause.getCause();
        }
        if (e.getCause() == null && !description.isEmpty()) {
            return description;
        }
        return "cannot reach hyprd at " + target + ": is it running?";
    }

    private static String orDefault(String s, String fallback) {
        return s.isEmpty() ? fallback : s;
    }

    private static String humanCode(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> "not found";
            case ALREADY_EXISTS -> "already exists";
            case FAILED_PRECONDITION -> "failed precondition";
            case PERMISSION_DENIED -> "permission denied";
            default -> "hyprd failed: " + code.name().toLowerCase().replace('_', ' ');
        };
    }
}
