package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Desired state of a Volume (crds/volume.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record VolumeSpec(long sizeMiB, String format) {
}
