package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.layer.ExtractionBudget;
import dev.hypr.controller.image.layer.LayerMerger;
import dev.hypr.controller.image.layer.LayerSource;
import dev.hypr.controller.image.layer.LayerStreams;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.Descriptor;
import dev.hypr.controller.image.registry.ImageManifest;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import dev.hypr.controller.image.store.BlobStore;
import dev.hypr.controller.util.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One pull, start to finish: resolve the manifest, download config and layers in parallel into
 * the blob store (top layer first), merge the layers from the top down into one tar stream as
 * they arrive and pipe it into tar2sqfs, and publish the image directory by atomic rename. The
 * rootfs never exists as files.
 */
public final class ImagePuller {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RegistryClient registry;
    private final ImageStore store;
    private final SquashfsBuilder squashfs;
    private final ExecutorService downloads;
    private final long maxExtractedBytes;
    private final long maxEntries;

    public ImagePuller(RegistryClient registry, ImageStore store, SquashfsBuilder squashfs, ExecutorService downloads,
            long maxExtractedBytes, long maxEntries) {
        this.registry = registry;
        this.store = store;
        this.squashfs = squashfs;
        this.downloads = downloads;
        this.maxExtractedBytes = maxExtractedBytes;
        this.maxEntries = maxEntries;
    }

    public PulledImage pull(ImageReference ref, Platform platform, PullProgress progress) throws Exception {
        ImageManifest manifest = registry.manifest(ref, platform);
        progress.resolved(manifest.digest(), manifest.layers());
        var existing = store.byDigest(manifest.digest());
        if (existing.isPresent()) {
            if (store.blobs().find(manifest.digest()).isEmpty()) {
                store.blobs().putBytes(manifest.digest(), manifest.raw()); // stored before push kept manifests
            }
            store.recordRef(ref, platform, manifest.digest());
            return existing.get();
        }
        BlobStore blobs = store.blobs();
        blobs.putBytes(manifest.digest(), manifest.raw()); // what images push sends back, byte for byte
        Path configBlob = registry.blob(ref, manifest.config().digest(), blobs, n -> { });
        ImageConfig config = ImageConfig.parse(JSON.readTree(configBlob.toFile()));

        List<Descriptor> layers = manifest.layers();
        long total = manifest.compressedSize() - manifest.config().size();
        AtomicLongArray done = new AtomicLongArray(layers.size());
        List<Future<Path>> fetched = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) { // top layer first: the merge reads it first
            int index = i;
            Descriptor layer = layers.get(i);
            fetched.add(0, downloads.submit(() -> registry.blob(ref, layer.digest(), blobs, n -> {
                done.set(index, n);
                progress.layer(index, n);
                progress.update("downloading", sum(done), total);
            })));
        }
        Path work = blobs.newTempDir("build-");
        try {
            List<LayerSource> sources = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                int index = i;
                String label = (i + 1) + "/" + layers.size() + " (" + layers.get(i).digest().shortHex() + ")";
                sources.add(new LayerSource() {
                    @Override
                    public String label() {
                        return label;
                    }

                    @Override
                    public InputStream open() throws Exception {
                        Path blob = await(fetched.get(index));
                        done.set(index, layers.get(index).size());
                        return LayerStreams.openTar(blob);
                    }

                    @Override
                    public void merging() throws Exception {
                        await(fetched.get(index)); // downloaded first, as its progress says
                        progress.update("extracting", index, layers.size()); // from the top layer down
                    }
                });
            }
            Path staged = Files.createDirectory(work.resolve("image"));
            LayerMerger merger = new LayerMerger(new ExtractionBudget(maxExtractedBytes, maxEntries));
            squashfs.build(tar -> {
                merger.merge(sources, tar);
                progress.update("squashing", 0, 0); // tar2sqfs finishes the blocks still queued and writes its tables
            }, staged.resolve("rootfs.squashfs"), work);
            PulledImage image = new PulledImage(ref.toString(), manifest.digest(), store.imageDir(manifest.digest())
                    .resolve("rootfs.squashfs"), config, manifest.compressedSize(),
                    layers.stream().map(Descriptor::digest).toList());
            ImageStore.writeManifest(staged, image);
            FileTrees.deleteRecursively(store.imageDir(manifest.digest())); // a half-present image (files lost) is rebuilt
            BlobStore.moveIntoPlace(staged, store.imageDir(manifest.digest()));
            store.recordRef(ref, platform, manifest.digest());
            return image;
        } finally {
            fetched.forEach(f -> f.cancel(true));
            FileTrees.deleteRecursively(work);
        }
    }

    private static Path await(Future<Path> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }
}
