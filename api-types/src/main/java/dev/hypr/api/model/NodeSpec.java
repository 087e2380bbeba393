package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a Node (crds/node.yaml): only whether new VMs may be placed on it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSpec(Boolean unschedulable) {
}
