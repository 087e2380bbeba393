package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Observed state of a Node (crds/node.yaml), written by the node's own hyprd. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(Resources capacity, Allocated allocated, List<String> hypervisors, Boolean kvm,
                         List<Address> addresses, String heartbeatTime, Integer leaseTTLSeconds, List<Condition> conditions) {

    /** CPUs and memory. */
    public record Resources(int cpus, long memoryMiB) {
    }

    /** What the node's VMs ask for. */
    public record Allocated(int cpus, long memoryMiB, int vms) {
    }

    /** Hostname or InternalIP. */
    public record Address(String type, String address) {
    }
}
