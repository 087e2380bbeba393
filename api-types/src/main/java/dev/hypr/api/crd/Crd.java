package dev.hypr.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;

/**
 * One CustomResourceDefinition from crds/ and the schema hypr validates its kind against.
 *
 * @param definition the CRD document as written
 * @param objectSchema its {@code openAPIV3Schema}, with {@code metadata} described by the shared
 *                     object-meta schema (a CRD may not describe metadata itself)
 */
public record Crd(Kind kind, ObjectNode definition, ObjectNode objectSchema) {
    public String name() {
        return definition.at("/metadata/name").asText();
    }

    public String group() {
        return definition.at("/spec/group").asText();
    }

    public JsonNode names() {
        return definition.at("/spec/names");
    }

    /** The single served version (hypr has one: v1alpha1). */
    public JsonNode version() {
        return definition.at("/spec/versions/0");
    }

    /** The schema exactly as the CRD states it, for structural checks. */
    public JsonNode openApiSchema() {
        return version().at("/schema/openAPIV3Schema");
    }

    public JsonNode specSchema() {
        return objectSchema.at("/properties/spec");
    }

    public JsonNode statusSchema() {
        return objectSchema.at("/properties/status");
    }
}
