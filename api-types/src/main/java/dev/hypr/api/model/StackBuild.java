package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** How a Stack service's image is built from source (compose build:). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackBuild(String context, String dockerfile, String target, List<EnvVar> args) {
}
