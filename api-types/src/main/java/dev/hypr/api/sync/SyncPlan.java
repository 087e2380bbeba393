package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a pass will do: objects to apply (with the action expected), objects already as desired,
 * objects to prune and conflicts. {@code toApply} and {@code applying} are index-aligned.
 */
public record SyncPlan(List<ObjectNode> toApply, List<ObjectResult> applying, List<ObjectResult> unchanged,
        List<ObjectResult> prune, List<ObjectResult> conflicts) {
    public SyncPlan {
        toApply = List.copyOf(toApply);
        applying = List.copyOf(applying);
        unchanged = List.copyOf(unchanged);
        prune = List.copyOf(prune);
        conflicts = List.copyOf(conflicts);
    }
}
