package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One committed change; for DELETED, the object as it was last seen. */
public record Change(long revision, ChangeType type, ObjectKey key, ObjectNode object) {
}
