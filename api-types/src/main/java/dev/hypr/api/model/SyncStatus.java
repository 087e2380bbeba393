package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Observed state of a Sync (crds/sync.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SyncStatus(Long observedGeneration, List<Condition> conditions, String message,
        String lastAppliedRevision, String lastAttemptedRevision, String lastAppliedTime,
        SyncCounts counts, List<String> errors, List<String> conflicts, DriftRepair lastDriftRepair) {

    /** Objects per outcome in the last pass. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyncCounts(Integer applied, Integer unchanged, Integer pruned, Integer conflicts) {
    }

    /** The last time a pass put back objects that were changed or deleted by hand. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DriftRepair(List<String> objects, String at) {
    }
}
