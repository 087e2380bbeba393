package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An environment variable: a literal value, or valueFrom a secret file hyprd reads at boot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvVar(String name, String value, EnvVarSource valueFrom) {
    public EnvVar(String name, String value) {
        this(name, value, null);
    }

    /** Where a value comes from when it must not be stored in the object. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvVarSource(String secretFile) {
    }
}
