package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A volume owned by a Stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record StackVolume(String name, Long sizeMiB) {
}
