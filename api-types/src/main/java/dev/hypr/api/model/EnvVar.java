package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An environment variable. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record EnvVar(String name, String value) {
}
