package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Git repository to sync from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitSource(String url, String ref, String path) {
}
