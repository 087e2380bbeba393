package dev.hypr.controller.store;

public enum ApplyOutcome {
    CREATED,
    CONFIGURED,
    UNCHANGED
}
