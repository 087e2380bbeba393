package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An environment variable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvVar(String name, String value) {
}
