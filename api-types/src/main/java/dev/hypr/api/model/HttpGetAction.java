package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Probe by an HTTP GET to a guest port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpGetAction(int port, String path) {
}
