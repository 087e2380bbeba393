package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pure half of a pass: desired objects against what exists → a {@link SyncPlan}. No I/O. */
public final class SyncPlanner {
    /** Prune VMs before the networks, volumes and images they use; then by name for stable output. */
    private static final Comparator<ObjectResult> PRUNE_ORDER =
            Comparator.comparing(ObjectResult::kind).thenComparing(ObjectResult::name);

    private SyncPlanner() {
    }

    /**
     * @param desired   the source's objects, validated and labelled for this Sync
     * @param managed   stored objects labelled for this Sync
     * @param unmanaged stored objects with a desired object's kind and name that are not in
     *                  {@code managed} (they may belong to another Sync, or to nobody)
     */
    public static SyncPlan plan(String syncName, List<ObjectNode> desired, List<ObjectNode> managed,
            List<ObjectNode> unmanaged, boolean prune) {
        Map<String, ObjectNode> managedByRef = byRef(managed);
        Map<String, ObjectNode> unmanagedByRef = byRef(unmanaged);
        List<ObjectNode> toApply = new ArrayList<>();
        List<ObjectResult> applying = new ArrayList<>();
        List<ObjectResult> unchanged = new ArrayList<>();
        List<ObjectResult> conflicts = new ArrayList<>();
        for (ObjectNode wanted : desired) {
            String ref = ref(wanted);
            ObjectNode current = managedByRef.remove(ref);
            if (current == null) {
                current = unmanagedByRef.get(ref);
                String owner = current == null ? null : SyncLabels.managingSync(current).orElse(null);
                if (owner != null && !owner.equals(syncName)) {
                    conflicts.add(result(wanted, SyncAction.CONFLICT,
                            "managed by Sync " + owner + "; not applied (remove it from one of the two sources)"));
                    continue;
                }
            }
            if (current != null && DesiredState.isSatisfiedBy(wanted, current)) {
                unchanged.add(result(wanted, SyncAction.UNCHANGED, ""));
            } else {
                // An unlabelled object of the same name is adopted: the source names it, so it is wanted.
                toApply.add(wanted);
                applying.add(result(wanted, current == null ? SyncAction.CREATED : SyncAction.CONFIGURED, ""));
            }
        }
        List<ObjectResult> pruned = new ArrayList<>();
        if (prune) {
            // What is left of managedByRef is labelled for this Sync but no longer in the source.
            managedByRef.values().forEach(gone -> pruned.add(result(gone, SyncAction.PRUNED, "")));
            pruned.sort(PRUNE_ORDER);
        }
        return new SyncPlan(toApply, applying, unchanged, pruned, conflicts);
    }

    private static Map<String, ObjectNode> byRef(List<ObjectNode> objects) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        objects.forEach(o -> out.put(ref(o), o));
        return out;
    }

    static String ref(ObjectNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }

    private static ObjectResult result(ObjectNode o, SyncAction action, String message) {
        Kind kind = Kind.fromKindName(o.path("kind").asText())
                .orElseThrow(() -> new IllegalArgumentException("unknown kind in " + ref(o)));
        return new ObjectResult(kind, o.path("metadata").path("name").asText(), action, message);
    }
}
