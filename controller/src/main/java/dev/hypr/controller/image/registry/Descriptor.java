package dev.hypr.controller.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.image.ref.Digest;

/** A content descriptor: what a manifest says about a blob or a child manifest. */
public record Descriptor(String mediaType, Digest digest, long size, JsonNode platform) {

    static Descriptor of(JsonNode node) {
        return new Descriptor(node.path("mediaType").asText(null), Digest.parse(node.path("digest").asText(null)),
                node.path("size").asLong(-1), node.get("platform"));
    }
}
