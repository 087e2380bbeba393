package dev.hypr.controller.build;

import dev.hypr.controller.util.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The directories of {@code RUN --mount=type=cache}: one per id under {@code root}
 * ({@code <sha256 of the id>}), kept across builds and shared into a build VM over virtiofs, so
 * what a RUN leaves there is seen by the next build's RUN with the same id but is never part of
 * a layer or a cache key. Made empty on first use with the mount's uid, gid and mode. Sharing as
 * BuildKit: {@code shared} lets concurrent steps use it together, {@code locked} makes them wait
 * for each other, {@code private} gives a step that finds it busy a fresh directory of its own,
 * discarded afterwards. {@code builder prune} empties them all.
 */
final class CacheMounts {
    private final Path root;
    private final Map<String, Semaphore> busy = new ConcurrentHashMap<>();

    CacheMounts(Path root) {
        this.root = root;
    }

    /** A cache directory in use by one step; close lets the next step have it. */
    record Lease(Path dir, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /** The directory for {@code m}; {@code scratch} holds a private copy when one is needed. */
    Lease acquire(BuildStep.CacheMount m, Path scratch) throws IOException, InterruptedException {
        Semaphore lock = busy.computeIfAbsent(m.id(), id -> new Semaphore(1));
        switch (m.sharing()) {
            case "locked" -> {
                lock.acquire();
                try {
                    return new Lease(ensure(m), lock::release);
                } catch (IOException | RuntimeException e) {
                    lock.release();
                    throw e;
                }
            }
            case "private" -> {
                if (lock.tryAcquire()) {
                    try {
                        return new Lease(ensure(m), lock::release);
                    } catch (IOException | RuntimeException e) {
                        lock.release();
                        throw e;
                    }
                }
                Path own = Files.createDirectories(scratch.resolve("cache-" + UUID.randomUUID()));
                prepare(own, m);
                return new Lease(own, () -> { });
            }
            default -> {
                return new Lease(ensure(m), () -> { });
            }
        }
    }

    /** Deletes every cache directory; a step using one right now keeps its (then unlinked) directory. */
    long prune() throws IOException {
        long freed = 0;
        if (!Files.isDirectory(root)) return 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                freed += LayerCache.size(d);
                FileTrees.deleteRecursively(d);
            }
        }
        return freed;
    }

    private Path ensure(BuildStep.CacheMount m) throws IOException {
        Path dir = root.resolve(HexFormat.of().formatHex(dev.hypr.controller.image.ref.Digest.sha256()
                .digest(m.id().getBytes(StandardCharsets.UTF_8))));
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return dir;
        Files.createDirectories(root);
        Path tmp = Files.createDirectory(root.resolve(".new-" + UUID.randomUUID()));
        prepare(tmp, m);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            FileTrees.deleteRecursively(tmp); // another step made it first
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw e;
        }
        return dir;
    }

    private static void prepare(Path dir, BuildStep.CacheMount m) throws IOException {
        Files.setAttribute(dir, "unix:uid", (int) m.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dir, "unix:gid", (int) m.gid(), LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(dir, permissions(m.mode()));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE: bit 8 .. 0
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) out.add(all[i]);
        }
        return out;
    }
}
