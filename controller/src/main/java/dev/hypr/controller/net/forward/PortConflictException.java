package dev.hypr.controller.net.forward;

/** The host address/port of a forward is already in use by something else. */
public class PortConflictException extends ForwardException {
    public PortConflictException(Forward forward, String detail) {
        super("host port " + forward.listenKey() + " is already in use" + (detail.isBlank() ? "" : " (" + detail + ")"));
    }
}
