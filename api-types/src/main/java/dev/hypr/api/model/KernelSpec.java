package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Kernel override. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record KernelSpec(String path, String cmdline) {
}
