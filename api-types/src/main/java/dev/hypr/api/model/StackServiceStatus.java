package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One service of a Stack as observed: phase, replicas ready of desired, health, ports, why it waits, last error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackServiceStatus(String name, String phase, Integer replicas, Integer ready, String health, String specHash,
                                 List<String> vms, String waitingFor, String lastError, List<StackPort> ports) {

    /** A port published on the host by one of the service's VMs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StackPort(String vm, String hostIP, Integer hostPort, Integer guestPort, String protocol) {
    }
}
