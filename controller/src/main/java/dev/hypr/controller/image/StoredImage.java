package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import java.time.Instant;
import java.util.List;

/**
 * An image in the store as {@code ListImages}/{@code GetImage} show it.
 *
 * @param tags the references whose last pull resolved to it (empty: dangling)
 * @param layers layer digests with the sizes of their blobs (0 when a blob is gone)
 */
public record StoredImage(PulledImage image, List<ImageTag> tags, List<LayerBlob> layers, long rootfsBytes, Instant pulledAt) {
    /** A layer and its compressed size. */
    public record LayerBlob(Digest digest, long size) {
    }

    public Digest digest() {
        return image.digest();
    }
}
