package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Probe by running a command in the guest: an argv ({@code command}) or a {@code /bin/sh -c} string ({@code shell}, compose's CMD-SHELL). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecAction(List<String> command, String shell) {
    public ExecAction(List<String> command) {
        this(command, null);
    }
}
