package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an apply did to one object, and the object as it is now. */
public record ApplyResult(ObjectKey key, ApplyOutcome outcome, ObjectNode object) {
}
