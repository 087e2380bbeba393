package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Probe by an HTTP GET to a guest port (a number or the name of one of spec.ports). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpGetAction(ProbePort port, String path) {
    public HttpGetAction(int port, String path) {
        this(ProbePort.of(port), path);
    }
}
