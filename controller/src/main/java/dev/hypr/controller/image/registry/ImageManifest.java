package dev.hypr.controller.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.image.ref.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-platform manifest (Docker schema2 or OCI): one config blob and the layers, bottom first.
 * {@code raw} is the manifest exactly as the registry sent it (its sha256 is {@code digest}): kept
 * in the blob store so that {@code images push} re-sends the same bytes and the digest survives.
 */
public record ImageManifest(Digest digest, String mediaType, Descriptor config, List<Descriptor> layers, byte[] raw) {

    public static ImageManifest parse(Digest digest, String mediaType, JsonNode json, byte[] raw) throws RegistryException {
        if (!json.has("config") || !json.path("layers").isArray()) {
            throw new RegistryException(RegistryException.Failure.UnsupportedManifest,
                    "manifest " + digest + " has no config or layers (media type " + mediaType + ")");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : json.get("layers")) {
            layers.add(Descriptor.of(l));
        }
        return new ImageManifest(digest, mediaType, Descriptor.of(json.get("config")), List.copyOf(layers), raw);
    }

    public long compressedSize() {
        return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }
}
