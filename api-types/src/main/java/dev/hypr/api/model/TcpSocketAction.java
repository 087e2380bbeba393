package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Probe by connecting to a guest port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpSocketAction(int port) {
}
