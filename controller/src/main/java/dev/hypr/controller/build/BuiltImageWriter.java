package dev.hypr.controller.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.layer.LayerStreams;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import dev.hypr.controller.image.store.BlobStore;
import dev.hypr.controller.util.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lands a built image in the image store exactly as a pulled one: layer blobs, an OCI config
 * and manifest in blobs/, the squashfs rootfs packed from the merged layers, the image directory
 * published by atomic rename, then the tags; what is already there (a rebuild from the cache) is not
 * written again. Optionally also an OCI image layout directory.
 */
public final class BuiltImageWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    private final ImageStore store;
    private final SquashfsBuilder squashfs;

    public BuiltImageWriter(ImageStore store, SquashfsBuilder squashfs) {
        this.store = store;
        this.squashfs = squashfs;
    }

    ImageStore store() {
        return store;
    }

    public PulledImage write(LayerStack layers, ImageSettings settings, List<String> tags, Path work, Optional<Path> ociOutput)
            throws IOException, InterruptedException {
        BlobStore blobs = store.blobs();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST);
        ArrayNode layerDescs = JSON.createArrayNode();
        ArrayNode diffIds = JSON.createArrayNode();
        long size = 0;
        for (LayerStack.Layer l : layers.layers()) {
            if (blobs.find(l.digest()).isEmpty()) {
                Path tmp = blobs.newTempFile("layer-");
                Files.delete(tmp);
                try {
                    Files.createLink(tmp, l.file()); // same filesystem: no copy
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(l.file(), tmp);
                }
                BlobStore.moveIntoPlace(tmp, blobs.path(l.digest()));
                Files.deleteIfExists(tmp);
            }
            long n = Files.size(blobs.path(l.digest()));
            size += n;
            ObjectNode d = layerDescs.addObject();
            d.put("mediaType", mediaType(blobs.path(l.digest())));
            d.put("digest", l.digest().toString());
            d.put("size", n);
            diffIds.add(diffId(blobs.path(l.digest()), l.digest()).toString());
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.set("config", settings.toOci());
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.set("diff_ids", diffIds);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Digest configDigest = Digest.of(configBytes);
        putIfAbsent(blobs, configDigest, configBytes);
        ObjectNode configDesc = manifest.putObject("config");
        configDesc.put("mediaType", CONFIG);
        configDesc.put("digest", configDigest.toString());
        configDesc.put("size", configBytes.length);
        manifest.set("layers", layerDescs);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        Digest manifestDigest = Digest.of(manifestBytes);
        putIfAbsent(blobs, manifestDigest, manifestBytes);

        String ref = tags.isEmpty() ? manifestDigest.toString() : ImageReference.parse(tags.get(0)).toString();
        PulledImage image = new PulledImage(ref, manifestDigest, store.imageDir(manifestDigest).resolve("rootfs.squashfs"),
                settings.toImageConfig(), size + configBytes.length, layers.digests());
        if (store.byDigest(manifestDigest).isEmpty()) {
            Path staged = blobs.newTempDir("built-");
            try {
                squashfs.build(layers::mergeTo, staged.resolve("rootfs.squashfs"), Files.createDirectories(work));
                ImageStore.writeManifest(staged, image);
                FileTrees.deleteRecursively(store.imageDir(manifestDigest));
                BlobStore.moveIntoPlace(staged, store.imageDir(manifestDigest));
            } finally {
                FileTrees.deleteRecursively(staged);
            }
        }
        for (String tag : tags) {
            ImageReference parsed = ImageReference.parse(tag);
            if (!store.resolved(parsed, Platform.DEFAULT).equals(Optional.of(manifestDigest))) {
                store.recordRef(parsed, Platform.DEFAULT, manifestDigest);
            }
        }
        if (ociOutput.isPresent()) {
            writeOciLayout(ociOutput.get(), manifestDigest, manifestBytes.length, tags, configDigest,
                    layers.digests());
        }
        return image;
    }

    /** A rebuild that hits the cache everywhere makes the same blobs: it writes nothing new. */
    private static void putIfAbsent(BlobStore blobs, Digest digest, byte[] content) throws IOException {
        if (blobs.find(digest).isEmpty()) {
            blobs.putBytes(digest, content);
        }
    }

    /** An OCI image layout (oci-layout, index.json, blobs/sha256) with this one image, as skopeo reads it. */
    private void writeOciLayout(Path dir, Digest manifest, long manifestSize, List<String> tags, Digest config,
            List<Digest> layers) throws IOException {
        Path blobsDir = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        List<Digest> all = new ArrayList<>(layers);
        all.add(config);
        all.add(manifest);
        for (Digest d : all) {
            Path target = blobsDir.resolve(d.hex());
            if (!Files.exists(target)) Files.copy(store.blobs().path(d), target);
        }
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ArrayNode ms = index.putArray("manifests");
        ObjectNode m = ms.addObject();
        m.put("mediaType", MANIFEST);
        m.put("digest", manifest.toString());
        m.put("size", manifestSize);
        if (!tags.isEmpty()) {
            m.putObject("annotations").put("org.opencontainers.image.ref.name", ImageReference.parse(tags.get(0)).toString());
        }
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private static String mediaType(Path blob) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(blob)) {
            int n = in.readNBytes(head, 0, 4);
            if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return LAYER_TAR + "+gzip";
            if (n == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                    && (head[3] & 0xff) == 0xfd) return LAYER_TAR + "+zstd";
        }
        return LAYER_TAR;
    }

    /** The digest of the uncompressed tar (config rootfs.diff_ids). */
    private static Digest diffId(Path blob, Digest digest) throws IOException {
        if (mediaType(blob).equals(LAYER_TAR)) return digest;
        MessageDigest sha = Digest.sha256();
        try (InputStream in = LayerStreams.openTar(blob)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return Digest.of(sha);
    }
}
