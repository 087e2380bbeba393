package dev.hypr.controller.build;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.store.BlobStore;
import dev.hypr.controller.util.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The build cache under {@code $HYPR_HOME/cache/build}: content-addressed layer tars and an index
 * from step key (parent key + expanded instruction + what the step reads) to the layer the step
 * produced.
 * <pre>
 * layers/sha256/&lt;hex&gt;   uncompressed layer tars
 * keys/&lt;key&gt;           "sha256:&lt;hex&gt;" of the layer a step with that key produced
 * mounts/&lt;sha256(id)&gt;  RUN --mount=type=cache directories, kept across builds
 * tmp/                  work in progress of running builds; emptied at start-up
 * </pre>
 * Every file appears by atomic rename when complete, so a killed build leaves only tmp/.
 */
public final class LayerCache {
    private final Path root;

    public LayerCache(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root.resolve("layers").resolve("sha256"));
        Files.createDirectories(root.resolve("keys"));
        Files.createDirectories(root.resolve("tmp"));
    }

    public Path root() {
        return root;
    }

    /** The layer a step with this key produced before, when it is still here. */
    public Optional<Digest> lookup(String key) {
        Path index = root.resolve("keys").resolve(key);
        try {
            if (!Files.isRegularFile(index)) return Optional.empty();
            Digest d = Digest.parse(Files.readString(index).trim());
            return Files.isRegularFile(layer(d)) ? Optional.of(d) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable index: a miss, rewritten by this build
        }
    }

    public Path layer(Digest digest) {
        return root.resolve("layers").resolve("sha256").resolve(digest.hex());
    }

    /** Moves a finished layer tar into the cache under its digest. */
    public Digest putLayer(Path tempTar) throws IOException {
        MessageDigest sha = Digest.sha256();
        try (InputStream in = Files.newInputStream(tempTar)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        Digest d = Digest.of(sha);
        BlobStore.moveIntoPlace(tempTar, layer(d));
        Files.deleteIfExists(tempTar); // another build had put the same layer
        return d;
    }

    public void record(String key, Digest layer) throws IOException {
        Path tmp = newTempFile("key-");
        Files.writeString(tmp, layer + "\n");
        BlobStore.moveIntoPlace(tmp, root.resolve("keys").resolve(key));
        Files.deleteIfExists(tmp);
    }

    public Path newTempFile(String prefix) throws IOException {
        return Files.createFile(root.resolve("tmp").resolve(prefix + UUID.randomUUID()));
    }

    public Path newTempDir(String prefix) throws IOException {
        return Files.createDirectory(root.resolve("tmp").resolve(prefix + UUID.randomUUID()));
    }

    /** Where {@code RUN --mount=type=cache} directories live ({@link CacheMounts}). */
    Path mountsRoot() {
        return root.resolve("mounts");
    }

    /** Empties the cache and the cache mounts (not tmp/: builds may be running). Returns the bytes freed. */
    public long prune() throws IOException {
        long freed = size(root.resolve("layers")) + size(root.resolve("keys")) + new CacheMounts(mountsRoot()).prune();
        FileTrees.deleteRecursively(root.resolve("keys"));
        FileTrees.deleteRecursively(root.resolve("layers"));
        Files.createDirectories(root.resolve("layers").resolve("sha256"));
        Files.createDirectories(root.resolve("keys"));
        return freed;
    }

    /** Removes what interrupted builds left in tmp/. Only when no build runs (daemon start). */
    public void cleanTemp() throws IOException {
        try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
            for (Path p : left.toList()) FileTrees.deleteRecursively(p);
        }
    }

    static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
