package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Where a Sync's objects come from: a local path or Git. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record SyncSource(String path, GitSource git) {
}
