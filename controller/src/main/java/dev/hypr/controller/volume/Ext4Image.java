package dev.hypr.controller.volume;

import dev.hypr.api.host.HostProgram;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * One volume's disk image: a sparse file holding an ext4 filesystem that fills it. Made under a
 * temporary name and renamed into place, so the image either does not exist or is a complete
 * filesystem (a crash in between leaves only a temporary file, replaced by the next attempt).
 * Readable by root only (0600): it holds the workload's data.
 */
final class Ext4Image {
    static final long MIB = 1024 * 1024;

    /**
     * mkfs.ext4 options that write almost nothing: inode tables and the journal are left for the
     * kernel to initialise lazily (the file stays sparse: ~0.7 MiB allocated for 1 GiB), no
     * discard pass over the file, no blocks reserved for root (a volume is all data).
     */
    static final List<String> MKFS_OPTIONS = List.of("-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard");

    private final Path path;

    Ext4Image(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.isRegularFile(path);
    }

    /** The file's length in MiB (the filesystem fills it). */
    long sizeMiB() throws IOException {
        return Files.size(path) / MIB;
    }

    /** Makes the image: a sparse 0600 file of {@code sizeMiB}, formatted ext4, renamed into place. */
    void create(long sizeMiB, String uuid) throws IOException {
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a previous attempt's, cut short
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
                f.setLength(sizeMiB * MIB); // sparse: no block is written
            }
            List<String> cmd = new java.util.ArrayList<>(List.of(HostProgram.MKFS_EXT4.program()));
            cmd.addAll(MKFS_OPTIONS);
            if (uuid != null && !uuid.isBlank()) {
                cmd.addAll(List.of("-U", uuid)); // the object's uid: blkid tells which volume an image is
            }
            cmd.add(tmp.toString());
            E2fsPrograms.run(cmd); // mke2fs fsyncs the image before it exits
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(path.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Grows the file and the filesystem to {@code sizeMiB}. Only while nothing has it attached.
     * resize2fs wants a freshly checked filesystem, so e2fsck runs first; it repairs what it safely
     * can (-p) and fails on anything else. Safe to repeat after a crash at any point: a file already
     * longer only makes resize2fs find less to do.
     */
    void grow(long sizeMiB) throws IOException {
        check();
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            if (f.length() < sizeMiB * MIB) {
                f.setLength(sizeMiB * MIB);
            }
        }
        E2fsPrograms.run(List.of(HostProgram.RESIZE2FS.program(), path.toString()));
    }

    /** e2fsck -f -p: exit 0 clean, 1 errors corrected; anything else needs a person. */
    void check() throws IOException {
        E2fsPrograms.run(List.of(HostProgram.E2FSCK.program(), "-f", "-p", path.toString()), 0, 1);
    }

    /** Bytes really allocated on the host (st_blocks x 512), which Java's file attributes do not expose. */
    long allocatedBytes() throws IOException {
        String out = E2fsPrograms.run(List.of(HostProgram.STAT.program(), "-c", "%b %B", path.toString())).strip();
        String[] parts = out.split("\\s+");
        try {
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("unexpected output of stat for " + path + ": " + out);
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
        Files.deleteIfExists(path.resolveSibling("." + path.getFileName() + ".tmp"));
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
