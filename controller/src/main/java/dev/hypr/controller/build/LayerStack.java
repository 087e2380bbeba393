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

    /**
     * Which of {@code paths} (clean, relative to /) exist in the merged filesystem: scans every
     * layer bottom up, applying whiteouts ({@code .wh.NAME}) and opaque directories as the merge
     * does. An entry below a path (a/b/c for a/b) makes it exist too.
     */
    java.util.Set<String> existing(java.util.Set<String> paths) throws IOException {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Layer l : layers) {
            java.util.Set<String> added = new java.util.HashSet<>();
            java.util.Set<String> removed = new java.util.HashSet<>();
            try (InputStream in = LayerStreams.openTar(l.file())) {
                dev.hypr.controller.image.layer.TarReader r = new dev.hypr.controller.image.layer.TarReader(in);
                for (dev.hypr.controller.image.layer.TarReader.Entry e; (e = r.next()) != null; ) {
                    String name = CopyLayer.stripSlashes(e.name());
                    int slash = name.lastIndexOf('/');
                    String dir = slash < 0 ? "" : name.substring(0, slash);
                    String base = name.substring(slash + 1);
                    for (String p : paths) {
                        if (base.equals(".wh..wh..opq")) {
                            if (!dir.isEmpty() && p.startsWith(dir + "/") || dir.isEmpty()) removed.add(p);
                        } else if (base.startsWith(".wh.")) {
                            String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(4);
                            if (p.equals(gone) || p.startsWith(gone + "/")) removed.add(p);
                        } else if (p.equals(name) || name.startsWith(p + "/")) {
                            added.add(p);
                        }
                    }
                }
            }
            out.removeAll(removed); // a whiteout hides the layers below it, not its own layer's entries
            out.addAll(added);
        }
        return out;
    }

    void squash(SquashfsBuilder squashfs, Path output, Path scratch) throws IOException, InterruptedException {
        squashfs.build(this::mergeTo, output, scratch);
    }
}
