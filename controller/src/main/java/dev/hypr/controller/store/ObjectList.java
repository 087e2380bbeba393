package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A consistent list: every item as of {@code revision}. */
public record ObjectList(List<ObjectNode> items, long revision) {
}
