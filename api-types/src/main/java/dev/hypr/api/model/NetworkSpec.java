package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a Network (crds/network.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkSpec(String subnet, String gateway, Boolean dns) {
}
