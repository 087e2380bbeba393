package dev.hypr.controller.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.sync.ObjectResult;
import dev.hypr.api.sync.SyncAction;
import dev.hypr.api.sync.SyncReport;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.store.ObjectTransitions;
import java.time.Instant;
import java.util.List;

/**
 * A Sync's next status from the previous one and what the pass found. Pure. A pass that
 * changes nothing yields an equal status, so the store writes nothing and the controller's
 * own watch is not woken again: no timestamps move unless something happened.
 */
final class SyncStatusBuilder {
    static final String READY = "Ready";
    static final String STALLED = "Stalled";

    private final ObjectNode status;
    private final long generation;
    private final Instant now;

    private SyncStatusBuilder(JsonNode previous, long generation, Instant now) {
        this.status = previous != null && previous.isObject() ? ((ObjectNode) previous).deepCopy()
                : Json.MAPPER.createObjectNode();
        this.generation = generation;
        this.now = now;
        status.put("observedGeneration", generation);
    }

    static ObjectNode suspended(JsonNode previous, long generation, Instant now) {
        SyncStatusBuilder b = new SyncStatusBuilder(previous, generation, now);
        b.conditions(false, "Suspended", "spec.suspend is true: nothing is applied or pruned", false);
        b.status.put("message", "suspended");
        return b.status;
    }

    static ObjectNode sourceUnavailable(JsonNode previous, long generation, String problem, Instant now) {
        SyncStatusBuilder b = new SyncStatusBuilder(previous, generation, now);
        b.conditions(false, "SourceUnavailable", problem, true);
        b.status.put("message", "source unavailable: " + problem);
        b.errors(List.of(problem));
        return b.status;
    }

    static ObjectNode applyFailed(JsonNode previous, long generation, String revision, String problem, Instant now) {
        SyncStatusBuilder b = new SyncStatusBuilder(previous, generation, now);
        b.status.put("lastAttemptedRevision", revision);
        b.conditions(false, "ApplyFailed", problem, false);
        b.status.put("message", "apply failed (retrying): " + problem);
        b.errors(List.of(problem));
        return b.status;
    }

    static ObjectNode fromReport(JsonNode previous, long generation, String revision, SyncReport report, Instant now) {
        SyncStatusBuilder b = new SyncStatusBuilder(previous, generation, now);
        b.status.put("lastAttemptedRevision", revision);
        if (!report.valid()) {
            List<String> errors = report.errors().stream().map(ManifestError::format).toList();
            b.errors(errors);
            String summary = errors.size() + " error(s) in revision " + revision + "; nothing applied, first: "
                    + errors.get(0);
            b.conditions(false, "ValidationFailed", summary, true);
            b.status.put("message", summary);
            return b.status;
        }
        b.recordDriftRepair(previous, revision, report);
        boolean newRevision = !revision.equals(b.status.path("lastAppliedRevision").asText());
        b.status.put("lastAppliedRevision", revision);
        if (report.changedAnything() || newRevision || !b.status.has("lastAppliedTime")) {
            b.status.put("lastAppliedTime", ObjectTransitions.timestamp(now));
        }
        ObjectNode counts = b.status.putObject("counts");
        counts.put("applied", report.applied());
        counts.put("unchanged", report.count(SyncAction.UNCHANGED));
        counts.put("pruned", report.count(SyncAction.PRUNED));
        counts.put("conflicts", report.conflicts().size());
        b.status.remove("errors");
        String countsText = report.applied() + " applied, " + report.count(SyncAction.UNCHANGED) + " unchanged, "
                + report.count(SyncAction.PRUNED) + " pruned";
        if (report.conflicts().isEmpty()) {
            b.status.remove("conflicts");
            b.conditions(true, "Applied", "revision " + revision + ": " + countsText, false);
        } else {
            ArrayNode conflicts = b.status.putArray("conflicts");
            report.conflicts().forEach(c -> conflicts.add(c.ref() + ": " + c.message()));
            b.conditions(false, "Conflict", report.conflicts().size() + " object(s) managed by another Sync, first: "
                    + conflicts.get(0).asText(), true);
        }
        b.status.put("message", "revision " + revision + ": " + countsText
                + (report.conflicts().isEmpty() ? "" : ", " + report.conflicts().size() + " conflict(s)"));
        return b.status;
    }

    /**
     * The source did not change, yet objects had to be created or configured: someone edited or
     * deleted them by hand. Recorded here until hyprd has an Events API.
     */
    private void recordDriftRepair(JsonNode previous, String revision, SyncReport report) {
        boolean sameSource = previous != null && revision.equals(previous.path("lastAppliedRevision").asText())
                && previous.path("observedGeneration").asLong() == generation;
        if (!sameSource || report.applied() == 0) {
            return;
        }
        ObjectNode repair = status.putObject("lastDriftRepair");
        ArrayNode objects = repair.putArray("objects");
        for (ObjectResult r : report.results()) {
            if (r.action() == SyncAction.CREATED || r.action() == SyncAction.CONFIGURED) {
                objects.add(r.ref() + " " + r.action().word());
            }
        }
        repair.put("at", ObjectTransitions.timestamp(now));
    }

    private void errors(List<String> errors) {
        ArrayNode list = status.putArray("errors");
        errors.forEach(list::add);
    }

    private void conditions(boolean ready, String reason, String message, boolean stalled) {
        Conditions.set(status, READY, ready, reason, message, generation, now);
        Conditions.set(status, STALLED, stalled, stalled ? reason : "Progressing",
                stalled ? message : "", generation, now);
    }
}
