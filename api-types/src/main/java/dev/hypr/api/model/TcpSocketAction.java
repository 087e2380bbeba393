package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Probe by connecting to a guest port (a number or the name of one of spec.ports). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpSocketAction(ProbePort port) {
    public TcpSocketAction(int port) {
        this(ProbePort.of(port));
    }
}
