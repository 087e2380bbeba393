package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.validation.ObjectValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One Sync pass, shared by hyprd's controller and {@code hyprctl sync}: validate the whole
 * source (any error → apply nothing), label, plan against the target, apply what differs in
 * one all-or-nothing call, then prune. Objects already as desired cause no write at all.
 */
public final class SyncEngine {
    private final ObjectValidator validator;

    public SyncEngine(ObjectValidator validator) {
        this.validator = validator;
    }

    public SyncReport run(String syncName, SourceSnapshot source, boolean prune, boolean dryRun, SyncTarget target) {
        List<ManifestError> errors = new ArrayList<>(source.errors());
        errors.addAll(validator.validateAll(source.manifests())); // also fills defaults, as the store would
        if (!errors.isEmpty()) {
            return new SyncReport(List.of(), errors, source.notes(), dryRun);
        }
        List<ObjectNode> desired = new ArrayList<>();
        for (Manifest m : source.manifests()) {
            ObjectNode object = DesiredState.canonical(m.object());
            SyncLabels.markManaged(object, syncName);
            desired.add(object);
        }
        List<ObjectNode> managed = target.listManaged(syncName);
        SyncPlan plan = SyncPlanner.plan(syncName, desired, managed, unmanagedNamesakes(desired, managed, target), prune);
        return new SyncReport(execute(plan, dryRun, target), List.of(), source.notes(), dryRun);
    }

    /** Only objects not already listed as managed need a lookup: none in the steady state. */
    private static List<ObjectNode> unmanagedNamesakes(List<ObjectNode> desired, List<ObjectNode> managed,
            SyncTarget target) {
        Set<String> managedRefs = new HashSet<>();
        managed.forEach(o -> managedRefs.add(SyncPlanner.ref(o)));
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode wanted : desired) {
            if (!managedRefs.contains(SyncPlanner.ref(wanted))) {
                Kind kind = Kind.fromKindName(wanted.path("kind").asText()).orElseThrow();
                target.get(kind, wanted.path("metadata").path("name").asText()).ifPresent(out::add);
            }
        }
        return out;
    }

    private static List<ObjectResult> execute(SyncPlan plan, boolean dryRun, SyncTarget target) {
        List<ObjectResult> results = new ArrayList<>();
        if (!plan.toApply().isEmpty()) {
            List<SyncAction> outcomes = target.apply(plan.toApply(), dryRun);
            for (int i = 0; i < outcomes.size(); i++) {
                ObjectResult planned = plan.applying().get(i);
                // The target has the last word (it may find nothing to change after all).
                results.add(new ObjectResult(planned.kind(), planned.name(), outcomes.get(i), planned.message()));
            }
        }
        results.addAll(plan.unchanged());
        for (ObjectResult gone : plan.prune()) {
            if (!dryRun) {
                target.delete(gone.kind(), gone.name());
            }
            results.add(gone);
        }
        results.addAll(plan.conflicts());
        return results;
    }
}
