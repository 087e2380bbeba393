package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Desired state of a Network (crds/network.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record NetworkSpec(String subnet, String gateway, Boolean dns) {
}
