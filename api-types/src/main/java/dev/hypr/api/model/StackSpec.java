package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Desired state of a Stack (crds/stack.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackSpec(List<StackService> services, List<StackNetwork> networks, List<StackVolume> volumes) {
}
