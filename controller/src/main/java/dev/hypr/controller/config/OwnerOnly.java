package dev.hypr.controller.config;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * hyprd's state is its owner's alone: secrets pass through the database, workload logs, VMM
 * command files and image caches. The launcher sets umask 077; this class makes the same true
 * for a JVM started another way (explicit modes on the directories, which alone keep others out
 * of everything below them) and for homes an older hyprd created 0755 (tighten).
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /** Creates dir (and missing parents) and sets it 0700, whatever the umask made of it. */
    public static void directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /** Creates an empty file 0600 unless it exists (SQLite gives its WAL and SHM the database file's mode). */
    public static void file(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, fileAttribute());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile: tighten() covers it
            }
        }
    }

    /** What {@link #tighten} changed. */
    public record Tightened(int entries, int visited) {
    }

    /**
     * Removes group and other access from everything under root (symlinks are neither followed nor
     * changed), except the paths in {@code keep} (the API socket, whose mode is its own policy).
     * One stat per entry, a chmod only where a bit is set.
     */
    public static Tightened tighten(Path root, Set<Path> keep) throws IOException {
        int[] counts = new int[2];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                strip(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isSymbolicLink() && !keep.contains(file)) {
                    strip(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed while walking (a VM's socket): nothing to protect
            }

            private void strip(Path p) throws IOException {
                counts[1]++;
                try {
                    Set<PosixFilePermission> perms = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions();
                    if (perms.removeAll(GROUP_AND_OTHERS)) {
                        Files.setPosixFilePermissions(p, perms);
                        counts[0]++;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        });
        return new Tightened(counts[0], counts[1]);
    }
}
