package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A Git repository to sync from. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record GitSource(String url, String ref, String path) {
}
