package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Probe by an HTTP GET to a guest port. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record HttpGetAction(int port, String path) {
}
