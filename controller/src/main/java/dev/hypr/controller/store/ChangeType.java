package dev.hypr.controller.store;

public enum ChangeType {
    ADDED,
    MODIFIED,
    DELETED
}
