package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A network owned by a Stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackNetwork(String name, String subnet) {
}
