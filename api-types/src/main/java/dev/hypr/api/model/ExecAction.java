package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Probe by running a command in the guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecAction(List<String> command) {
}
