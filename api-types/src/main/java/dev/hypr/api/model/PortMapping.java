package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A port forwarded from the host into the guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record PortMapping(String name, String hostIP, Integer hostPort, int guestPort, String protocol) {
}
