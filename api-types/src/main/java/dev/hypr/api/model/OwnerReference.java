package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An object this one belongs to and is garbage-collected with. */
@JsonInclude(JsonInclude.Include.NON_NULL)

public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller, Boolean blockOwnerDeletion) {
}
