package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A secret or config file placed in a Stack service's guest; a secret's value is never in the object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackFile(String name, String mountPath, String hostPath, String environment, String content) {
}
