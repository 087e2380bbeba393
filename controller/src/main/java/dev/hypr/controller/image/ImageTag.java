package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;

/**
 * A reference and platform as the store records them (normalised: {@code docker.io/library/nginx:latest},
 * {@code linux/amd64}): what a tag record maps to a manifest digest.
 */
public record ImageTag(String ref, String platform) implements Comparable<ImageTag> {
    /** Parses and normalises; throws {@code InvalidReferenceException} for a malformed reference or platform. */
    public static ImageTag of(String ref, String platform) {
        return new ImageTag(ImageReference.parse(ref).toString(), Platform.parse(platform).toString());
    }

    @Override
    public int compareTo(ImageTag o) {
        int c = ref.compareTo(o.ref);
        return c != 0 ? c : platform.compareTo(o.platform);
    }

    @Override
    public String toString() {
        return ref + " (" + platform + ")";
    }
}
