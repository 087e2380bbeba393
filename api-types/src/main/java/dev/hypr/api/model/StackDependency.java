package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How a Stack service waits for one of its dependsOn services. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackDependency(String service, String condition, Boolean required, Boolean restart) {
}
