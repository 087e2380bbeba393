package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Observed state of a Volume (crds/volume.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeStatus(Long observedGeneration, List<Condition> conditions, String message, String phase, String path,
        Long sizeMiB, Long allocatedBytes, List<String> attachedTo, List<VolumeClaim> claims) {
}
