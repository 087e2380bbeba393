package dev.hypr.controller.build;

import dev.hypr.controller.image.layer.ExtractionBudget;
import dev.hypr.controller.image.layer.LayerMerger;
import dev.hypr.controller.image.layer.LayerSource;
import dev.hypr.controller.image.layer.LayerStreams;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's layers, bottom first: blobs of the base image (maybe compressed) and layers this
 * build made (uncompressed, in the cache). Merged as a pulled image's are, by {@link LayerMerger},
 * into a squashfs (a build VM's rootfs, the image's rootfs) or one tar (COPY --from).
 */
record LayerStack(List<Layer> layers) {
    /** One layer: its blob digest and file. */
    record Layer(Digest digest, Path file) {
    }

    static final long MAX_BYTES = 64L << 30;
    static final long MAX_ENTRIES = 10_000_000;

    LayerStack {
        layers = List.copyOf(layers);
    }

    LayerStack plus(Layer l) {
        List<Layer> out = new ArrayList<>(layers);
        out.add(l);
        return new LayerStack(out);
    }

    List<Digest> digests() {
        return layers.stream().map(Layer::digest).toList();
    }

    void mergeTo(OutputStream tar) throws IOException {
        List<LayerSource> sources = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String label = (i + 1) + "/" + layers.size() + " (" + l.digest().shortHex() + ")";
            sources.add(new LayerSource() {
                @Override
                public String label() {
                    return label;
                }

                @Override
                public InputStream open() throws Exception {
                    return LayerStreams.openTar(l.file());
                }
            });
        }
        new LayerMerger(new ExtractionBudget(MAX_BYTES, MAX_ENTRIES)).merge(sources, tar);
    }

    void mergeToTar(Path out) throws IOException {
        try (OutputStream o = Files.newOutputStream(out)) {
            mergeTo(o);
        }
    }

    void squash(SquashfsBuilder squashfs, Path output, Path scratch) throws IOException, InterruptedException {
        squashfs.build(this::mergeTo, output, scratch);
    }
}
