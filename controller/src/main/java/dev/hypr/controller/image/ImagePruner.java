package dev.hypr.controller.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ref.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Garbage collection of the image store: given the images still wanted (by manifest digest),
 * deletes every other image directory, the tag records pointing at them, and every blob that no
 * wanted image needs (its manifest, config and layers). The caller makes sure no pull runs.
 */
public final class ImagePruner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ImageStore store;
    private final Path root;

    public ImagePruner(ImageStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    /** What one prune removed. */
    public record Pruned(List<String> removed, int blobs, long freedBytes) {
    }

    public Pruned prune(Set<Digest> wanted) throws IOException {
        List<String> removed = new ArrayList<>();
        long freed = 0;
        for (Path refFile : list(root.resolve("refs"))) {
            Optional<Digest> points = readDigest(refFile);
            if (points.isEmpty() || !wanted.contains(points.get())) {
                Files.deleteIfExists(refFile);
            }
        }
        for (Path dir : list(root)) {
            String name = dir.getFileName().toString();
            if (Files.isDirectory(dir) && name.matches("[0-9a-f]{64}") && !wanted.contains(new Digest(name))) {
                freed += deleteTree(dir);
                removed.add("sha256:" + name);
            }
        }
        Set<String> neededBlobs = neededBlobs(wanted);
        int blobs = 0;
        for (Path blob : list(root.resolve("blobs").resolve("sha256"))) {
            if (!neededBlobs.contains(blob.getFileName().toString())) {
                freed += Files.size(blob);
                Files.delete(blob);
                blobs++;
            }
        }
        if (blobs > 0) {
            removed.add(blobs + " blobs");
        }
        return new Pruned(List.copyOf(removed), blobs, freed);
    }

    /**
     * Deletes the image directories of {@code gone} and those of their blobs (manifest, config,
     * layers) that no image in {@code keep} needs; leaves every other file alone. The caller
     * removes the tag records first and makes sure no pull runs.
     */
    public Pruned remove(Set<Digest> gone, Set<Digest> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        long freed = 0;
        Set<String> theirs = neededBlobs(gone);
        for (Digest image : gone) {
            Path dir = store.imageDir(image);
            if (Files.isDirectory(dir)) {
                freed += deleteTree(dir);
                removed.add(image.toString());
            }
        }
        theirs.removeAll(neededBlobs(keep));
        int blobs = 0;
        for (String hex : theirs) {
            Path blob = root.resolve("blobs").resolve("sha256").resolve(hex);
            if (hex.matches("[0-9a-f]{64}") && Files.isRegularFile(blob)) {
                freed += Files.size(blob);
                Files.delete(blob);
                blobs++;
            }
        }
        return new Pruned(List.copyOf(removed), blobs, freed);
    }

    /** The manifest, config and layer blobs of every wanted image. */
    private Set<String> neededBlobs(Set<Digest> wanted) throws IOException {
        Set<String> needed = new HashSet<>();
        for (Digest image : wanted) {
            needed.add(image.hex());
            store.byDigest(image).ifPresent(p -> p.layers().forEach(l -> needed.add(l.hex())));
            Path manifest = store.blobs().path(image);
            if (Files.isRegularFile(manifest)) {
                var m = JSON.readTree(manifest.toFile());
                m.path("layers").forEach(l -> needed.add(hexOf(l.path("digest").asText())));
                needed.add(hexOf(m.path("config").path("digest").asText()));
            }
        }
        return needed;
    }

    private static String hexOf(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }

    private static Optional<Digest> readDigest(Path f) {
        try {
            return Optional.of(Digest.parse(Files.readString(f).trim()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static long deleteTree(Path dir) throws IOException {
        long[] bytes = {0};
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    if (Files.isRegularFile(p)) {
                        bytes[0] += Files.size(p);
                    }
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return bytes[0];
    }
}
