package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Kernel override. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KernelSpec(String path, String cmdline) {
}
