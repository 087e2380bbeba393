package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** How a Stack service's image is built from source (compose build:); {@code always}: pull_policy: build. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackBuild(String context, String dockerfile, String dockerfileInline, String target, List<EnvVar> args,
                         Boolean always) {
}
