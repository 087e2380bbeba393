package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Observed state of a Stack (crds/stack.yaml), written only by the Stack controller. This is the
 * contract with {@code hyprctl compose}: docs/api.md "Stack status" describes every field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackStatus(Long observedGeneration, List<Condition> conditions, String message, String phase, String servicesReady,
                          List<StackServiceStatus> services, List<StackObjectRef> networks, List<StackObjectRef> volumes) {
    public StackStatus(Long observedGeneration, List<Condition> conditions, String message) {
        this(observedGeneration, conditions, message, null, null, null, null, null);
    }
}
