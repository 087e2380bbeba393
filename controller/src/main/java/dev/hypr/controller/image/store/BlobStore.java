package dev.hypr.controller.image.store;

import dev.hypr.controller.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Content-addressed blobs at {@code <root>/blobs/sha256/<hex>}. A blob is written to
 * {@code <root>/tmp/} while it is hashed and moved into place only when the hash matches, so a
 * path under {@code blobs/} always holds exactly the content its name promises; an interrupted
 * write leaves only a temp file, removed by {@link #cleanTemp()}.
 */
public final class BlobStore {
    private final Path blobs;
    private final Path tmp;

    public BlobStore(Path imagesRoot) throws IOException {
        this.blobs = imagesRoot.resolve("blobs").resolve("sha256");
        this.tmp = imagesRoot.resolve("tmp");
        Files.createDirectories(blobs);
        Files.createDirectories(tmp);
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public Optional<Path> find(Digest digest) {
        Path p = path(digest);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Stores {@code content} under {@code expected} after checking its hash; progress gets bytes read so far. */
    public Path put(Digest expected, InputStream content, LongConsumer progress) throws IOException {
        Path temp = newTempFile("blob-");
        try {
            MessageDigest sha = Digest.sha256();
            long total = 0;
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = content.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                    total += n;
                    progress.accept(total);
                }
            }
            Digest actual = Digest.of(sha);
            if (!actual.equals(expected)) {
                throw new DigestMismatchException(expected, actual, total);
            }
            return moveIntoPlace(temp, path(expected));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Path putBytes(Digest expected, byte[] content) throws IOException {
        return put(expected, new java.io.ByteArrayInputStream(content), n -> { });
    }

    /** A fresh file in the store's temp dir (same filesystem as the store, so moves are atomic). */
    public Path newTempFile(String prefix) throws IOException {
        return Files.createFile(tmp.resolve(prefix + UUID.randomUUID()));
    }

    public Path newTempDir(String prefix) throws IOException {
        return Files.createDirectory(tmp.resolve(prefix + UUID.randomUUID()));
    }

    /** Atomic rename; if another puller won the race the content is identical, so theirs stays. */
    public static Path moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            if (!Files.exists(target)) {
                throw e;
            }
        }
        return target;
    }

    /** Removes leftovers of interrupted pulls. Call when no pull is running (daemon start). */
    public void cleanTemp() throws IOException {
        try (Stream<Path> leftovers = Files.list(tmp)) {
            for (Path p : leftovers.toList()) {
                dev.hypr.controller.util.FileTrees.deleteRecursively(p);
            }
        }
    }
}
