package dev.hypr.controller.stack;

import java.util.List;

/**
 * Whether a service's dependencies let it start: open, waiting (and for what), or failed
 * (a required dependency failed, or is missing).
 */
public record DependencyGate(List<String> waitingFor, String failure) {

    public boolean open() {
        return waitingFor.isEmpty() && failure == null;
    }

    public String waitingText() {
        return waitingFor.isEmpty() ? null : String.join(", ", waitingFor);
    }
}
