package dev.hypr.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ImageLayer;
import dev.hypr.api.grpc.ImageRef;
import java.time.Instant;

/** A stored image ({@code ImageInfo}) as {@code images ls/inspect -o json|yaml} print it: camelCase, as objects are. */
public final class ImageInfoJson {
    private ImageInfoJson() {
    }

    public static ObjectNode of(ImageInfo i) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("digest", i.getDigest());
        ArrayNode refs = o.putArray("refs");
        for (ImageRef r : i.getRefsList()) {
            refs.addObject().put("ref", r.getRef()).put("platform", r.getPlatform());
        }
        o.put("platform", i.getPlatform());
        o.put("sizeBytes", i.getSizeBytes());
        ArrayNode layers = o.putArray("layers");
        for (ImageLayer l : i.getLayersList()) {
            layers.addObject().put("digest", l.getDigest()).put("sizeBytes", l.getSizeBytes());
        }
        o.set("config", i.getConfigJson().isEmpty() ? Json.MAPPER.createObjectNode() : Json.parseObject(i.getConfigJson()));
        o.put("rootfs", i.getRootfs());
        o.put("rootfsSizeBytes", i.getRootfsSizeBytes());
        o.put("pulledAt", Instant.ofEpochMilli(i.getPulledAtMillis()).toString());
        ArrayNode users = o.putArray("usedBy");
        i.getUsedByList().forEach(users::add);
        return o;
    }
}
