package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.store.BlobStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The on-disk image layout under {@code $HYPR_HOME/images}:
 * <pre>
 * blobs/sha256/&lt;hex&gt;            manifests, configs, layers (content-addressed)
 * &lt;manifest-hex&gt;/rootfs.squashfs  the built rootfs
 * &lt;manifest-hex&gt;/manifest.json    digest, layers and runtime config (read by the VM controller)
 * refs/&lt;encoded ref|platform&gt;     the manifest digest a tag resolved to at the last pull
 * tmp/                             work in progress; removed at start-up
 * </pre>
 * An image directory appears by atomic rename only when complete.
 */
public final class ImageStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path root;
    private final BlobStore blobs;

    public ImageStore(Path root) throws IOException {
        this.root = root;
        this.blobs = new BlobStore(root);
        Files.createDirectories(root.resolve("refs"));
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Path imageDir(Digest manifest) {
        return root.resolve(manifest.hex());
    }

    /** Cheap (two stats and a small read): safe to call on every resync. */
    public Optional<PulledImage> byDigest(Digest manifest) {
        Path dir = imageDir(manifest);
        Path rootfs = dir.resolve("rootfs.squashfs");
        Path meta = dir.resolve("manifest.json");
        if (!Files.isRegularFile(rootfs) || !Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            JsonNode m = JSON.readTree(meta.toFile());
            List<Digest> layers = new ArrayList<>();
            m.path("layers").forEach(l -> layers.add(Digest.parse(l.asText())));
            ImageConfig config = JSON.treeToValue(m.path("config"), ImageConfig.class);
            return Optional.of(new PulledImage(m.path("ref").asText(), manifest, rootfs, config,
                    m.path("compressedSize").asLong(), List.copyOf(layers)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable metadata = not present; the next pull rewrites it
        }
    }

    public Optional<PulledImage> find(ImageReference ref, Platform platform) {
        return resolved(ref, platform).flatMap(this::byDigest);
    }

    /** The manifest digest {@code ref} had at its last pull (or its pinned digest's platform manifest). */
    public Optional<Digest> resolved(ImageReference ref, Platform platform) {
        Path f = refFile(ref, platform);
        try {
            return Files.isRegularFile(f) ? Optional.of(Digest.parse(Files.readString(f).trim())) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public void recordRef(ImageReference ref, Platform platform, Digest manifest) throws IOException {
        Path tmp = blobs.newTempFile("ref-");
        Files.writeString(tmp, manifest.toString());
        BlobStore.moveIntoPlace(tmp, refFile(ref, platform));
    }

    public static void writeManifest(Path dir, PulledImage image) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("ref", image.ref());
        m.put("digest", image.digest().toString());
        m.put("compressedSize", image.compressedSize());
        m.putArray("layers").addAll(image.layers().stream().map(d -> JSON.getNodeFactory().textNode(d.toString())).toList());
        m.set("config", JSON.valueToTree(image.config()));
        JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    }

    /** Every complete image directory's manifest digest. */
    public List<Digest> images() throws IOException {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (name.matches("[0-9a-f]{64}") && Files.isRegularFile(d.resolve("rootfs.squashfs"))
                        && Files.isRegularFile(d.resolve("manifest.json"))) {
                    out.add(new Digest(name));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Digest::hex));
        return out;
    }

    /** Every tag record: a reference and platform with the manifest digest its last pull resolved to. */
    public Map<ImageTag, Digest> tags() throws IOException {
        Map<ImageTag, Digest> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(root.resolve("refs"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String decoded = URLDecoder.decode(f.getFileName().toString(), StandardCharsets.UTF_8);
                int bar = decoded.lastIndexOf('|');
                if (bar > 0) {
                    ImageTag tag = new ImageTag(decoded.substring(0, bar), decoded.substring(bar + 1));
                    resolved(f).ifPresent(d -> out.put(tag, d));
                }
            }
        }
        return out;
    }

    /** Forgets what a reference resolved to; the image itself stays. */
    public boolean removeTag(ImageTag tag) throws IOException {
        return Files.deleteIfExists(refFile(tag.ref(), tag.platform()));
    }

    /** When the image directory was published (its manifest.json's modification time). */
    public Instant builtAt(Digest manifest) {
        try {
            return Files.getLastModifiedTime(imageDir(manifest).resolve("manifest.json")).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static Optional<Digest> resolved(Path refFile) {
        try {
            return Optional.of(Digest.parse(Files.readString(refFile).trim()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Path refFile(ImageReference ref, Platform platform) {
        return refFile(ref.toString(), platform.toString());
    }

    /** {@code refs/<ref|platform, URL-encoded>}; {@link #tags} reads the names back. */
    private Path refFile(String ref, String platform) {
        return root.resolve("refs").resolve(URLEncoder.encode(ref + "|" + platform, StandardCharsets.UTF_8));
    }
}
