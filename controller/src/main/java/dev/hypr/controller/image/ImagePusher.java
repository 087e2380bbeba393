package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.Descriptor;
import dev.hypr.controller.image.registry.ImageManifest;
import dev.hypr.controller.image.registry.MediaTypes;
import dev.hypr.controller.image.registry.PushListener;
import dev.hypr.controller.image.registry.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pushes a stored image: its manifest exactly as it was pulled (kept in the blob store, so the
 * digest is the same everywhere), its config and layer blobs (each checked, mounted from another
 * repository of the target registry when a stored reference shows it is there, or uploaded),
 * then the manifest under the tag. Afterwards the target reference resolves to the image in the
 * store too.
 */
public final class ImagePusher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RegistryClient registry;
    private final ImageStore store;

    public ImagePusher(RegistryClient registry, ImageStore store) {
        this.registry = registry;
        this.store = store;
    }

    public Digest push(Digest image, ImageReference target, Platform platform, PushListener listener) throws Exception {
        Path manifestBlob = store.blobs().find(image).orElseThrow(() -> new NoSuchImageException("the manifest of " + image
                + " is not in the store (it was pulled before hypr kept manifests): pull it again, then push"));
        byte[] raw = Files.readAllBytes(manifestBlob);
        JsonNode json = JSON.readTree(raw);
        String mediaType = json.path("mediaType").asText(MediaTypes.OCI_MANIFEST);
        ImageManifest manifest = ImageManifest.parse(image, mediaType, json, raw);
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(manifest.config());
        blobs.addAll(manifest.layers());
        Map<ImageTag, Digest> tags = store.tags();
        for (Descriptor d : blobs) {
            Path blob = store.blobs().find(d.digest()).orElseThrow(() -> new NoSuchImageException("blob " + d.digest()
                    + " of " + image + " is missing from the store: pull the image again, then push"));
            registry.pushBlob(target, d.digest(), blob, mountSource(target, d.digest(), image, manifest, tags), listener);
        }
        String reference = target.tag() != null ? target.tag() : image.toString();
        Digest pushed = registry.pushManifest(target, reference, mediaType, raw);
        if (target.tag() != null) {
            store.recordRef(target, platform, image);
        }
        return pushed;
    }

    /**
     * A repository of the target's registry that holds {@code blob}, as far as the store's
     * references know (they name where images were pulled from or pushed to): at most one.
     */
    private List<String> mountSource(ImageReference target, Digest blob, Digest image, ImageManifest manifest,
            Map<ImageTag, Digest> tags) {
        for (Map.Entry<ImageTag, Digest> t : tags.entrySet()) {
            ImageReference ref;
            try {
                ref = ImageReference.parse(t.getKey().ref());
            } catch (RuntimeException e) {
                continue;
            }
            if (!ref.registry().equals(target.registry()) || ref.repository().equals(target.repository())) {
                continue;
            }
            boolean holds = t.getValue().equals(image) && (blob.equals(manifest.config().digest())
                    || manifest.layers().stream().anyMatch(l -> l.digest().equals(blob)));
            if (!holds) {
                holds = store.byDigest(t.getValue()).map(p -> p.layers().contains(blob)).orElse(false);
            }
            if (holds) {
                return List.of(ref.repository());
            }
        }
        return List.of();
    }
}
