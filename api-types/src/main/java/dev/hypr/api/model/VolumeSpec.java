package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of a Volume (crds/volume.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeSpec(long sizeMiB, String format, String nodeName) {
}
