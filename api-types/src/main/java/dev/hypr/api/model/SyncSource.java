package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where a Sync's objects come from: a local path or Git. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncSource(String path, GitSource git) {
}
