package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Standard metadata of every object (schemas/object-meta.yaml). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(String name, Map<String, String> labels, Map<String, String> annotations, String uid, Long generation, String resourceVersion, String creationTimestamp, String deletionTimestamp, List<String> finalizers, List<OwnerReference> ownerReferences) {
}
