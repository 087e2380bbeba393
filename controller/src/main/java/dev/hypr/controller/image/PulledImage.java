package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import java.nio.file.Path;
import java.util.List;

/** An image ready to boot: its squashfs rootfs and the defaults from its config. */
public record PulledImage(String ref, Digest digest, Path rootfs, ImageConfig config, long compressedSize,
        List<Digest> layers) {
}
