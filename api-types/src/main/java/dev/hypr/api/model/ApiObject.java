package dev.hypr.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;

/**
 * A typed view of one stored object: {@code ApiObject.from(node, VmSpec.class, VmStatus.class)}.
 * Controllers read specs through this; the untyped {@link ObjectNode} stays the stored form.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiObject<S, T>(String apiVersion, String kind, ObjectMeta metadata, S spec, T status) {
    /** @throws IllegalArgumentException when the object does not fit the types (it was not validated) */
    public static <S, T> ApiObject<S, T> from(JsonNode object, Class<S> specType, Class<T> statusType) {
        try {
            return new ApiObject<>(object.path("apiVersion").asText(null), object.path("kind").asText(null),
                    Json.MAPPER.treeToValue(object.path("metadata"), ObjectMeta.class),
                    convert(object.get("spec"), specType), convert(object.get("status"), statusType));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("object does not match its schema: " + e.getOriginalMessage(), e);
        }
    }

    public String name() {
        return metadata == null ? null : metadata.name();
    }

    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    private static <X> X convert(JsonNode node, Class<X> type) throws com.fasterxml.jackson.core.JsonProcessingException {
        return node == null || node.isNull() ? null : Json.MAPPER.treeToValue(node, type);
    }
}
