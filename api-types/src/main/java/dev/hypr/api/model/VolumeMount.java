package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Volume or host path mounted into the guest. createHostPath (hostPath only; default true, as
 * compose does) creates a missing host directory; false makes a missing one an error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeMount(String name, String volumeRef, String hostPath, String mountPath, Boolean readOnly,
                          Boolean createHostPath) {
}
