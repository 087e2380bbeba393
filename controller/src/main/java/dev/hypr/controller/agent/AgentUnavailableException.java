package dev.hypr.controller.agent;

/** The guest agent cannot be reached right now (not yet booted, VM gone, or hyprd lost the socket). */
public class AgentUnavailableException extends RuntimeException {
    public AgentUnavailableException(String message) {
        super(message);
    }

    public AgentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
