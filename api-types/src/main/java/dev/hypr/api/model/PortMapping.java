package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A port forwarded from the host into the guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortMapping(String name, String hostIP, Integer hostPort, int guestPort, String protocol) {
}
