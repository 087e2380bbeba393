package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a Sync (crds/sync.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncSpec(SyncSource source, Integer intervalSeconds, Boolean prune, Boolean suspend) {
}
