package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Volume or host path mounted into the guest. createHostPath (hostPath only; default true, as
 * compose does) creates a missing host directory; false makes a missing one an error.
 * copyFromImage (volumeRef only; default true): a new, empty Volume is first filled with what the
 * image has at mountPath (docker's first-mount copy).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeMount(String name, String volumeRef, String hostPath, String mountPath, Boolean readOnly,
                          Boolean createHostPath, Boolean copyFromImage) {
    public VolumeMount(String name, String volumeRef, String hostPath, String mountPath, Boolean readOnly) {
        this(name, volumeRef, hostPath, mountPath, readOnly, null, null);
    }
}
