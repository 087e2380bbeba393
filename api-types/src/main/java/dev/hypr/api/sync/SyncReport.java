package dev.hypr.api.sync;

import dev.hypr.api.codec.ManifestError;
import java.util.List;

/**
 * The outcome of one pass: per-object results, or (when the source was invalid) every error
 * and no results at all, since an invalid source applies nothing.
 */
public record SyncReport(List<ObjectResult> results, List<ManifestError> errors, List<String> notes, boolean dryRun) {
    public SyncReport {
        results = List.copyOf(results);
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public long count(SyncAction action) {
        return results.stream().filter(r -> r.action() == action).count();
    }

    /** Objects created or configured. */
    public long applied() {
        return count(SyncAction.CREATED) + count(SyncAction.CONFIGURED);
    }

    public List<ObjectResult> conflicts() {
        return results.stream().filter(r -> r.action() == SyncAction.CONFLICT).toList();
    }

    /** Whether the pass wrote anything (or would have, on a dry run). */
    public boolean changedAnything() {
        return applied() + count(SyncAction.PRUNED) > 0;
    }
}
