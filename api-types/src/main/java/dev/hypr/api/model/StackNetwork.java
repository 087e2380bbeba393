package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A network owned by a Stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record StackNetwork(String name, String subnet) {
}
