package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Desired state of an Image (crds/image.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageSpec(String ref, String pullPolicy, String platform) {
}
