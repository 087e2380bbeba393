package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A volume owned (or, when external, used) by a Stack. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackVolume(String name, Long sizeMiB, Boolean external, String volumeName, Boolean scratch) {
}
