package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Observed state of a Sync. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SyncStatus(Long observedGeneration, List<Condition> conditions, String message, String lastSyncedRevision, String lastSyncTime, Integer appliedObjects) {
}
