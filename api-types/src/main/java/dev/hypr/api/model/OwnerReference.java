package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An object this one belongs to and is garbage-collected with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller, Boolean blockOwnerDeletion) {
}
