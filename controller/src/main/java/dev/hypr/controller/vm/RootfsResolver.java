package dev.hypr.controller.vm;

import dev.hypr.api.host.HostProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * spec.rootfs: a squashfs file is booted as it is; a directory is packed into a squashfs
 * under cache/rootfs, keyed by its path and content listing so an edit re-packs it.
 */
public final class RootfsResolver {
    private static final byte[] SQUASHFS_MAGIC = "hsqs".getBytes(StandardCharsets.US_ASCII);
    private final Path cacheDir;

    public RootfsResolver(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Path resolve(String rootfs) {
        Path p = Path.of(rootfs);
        if (!p.isAbsolute()) {
            throw new VmConfigException(VmConfigException.INVALID_SPEC, "spec.rootfs must be an absolute path on the host, got \"" + rootfs
                    + "\" (hyprctl apply makes relative paths absolute against the file's directory)");
        }
        if (Files.isDirectory(p)) {
            return pack(p);
        }
        if (!Files.isRegularFile(p)) {
            throw new VmConfigException(VmConfigException.ROOTFS_NOT_FOUND, "rootfs " + p + " does not exist");
        }
        if (!isSquashfs(p)) {
            throw new VmConfigException(VmConfigException.ROOTFS_INVALID, "rootfs " + p + " is not a squashfs image (bad magic)");
        }
        return p;
    }

    static boolean isSquashfs(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), SQUASHFS_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    private Path pack(Path dir) {
        Path out = cacheDir.resolve(fingerprint(dir) + ".squashfs");
        if (Files.exists(out)) {
            return out;
        }
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "rootfs", ".tmp");
            Files.delete(tmp); // mksquashfs refuses to append to a non-squashfs file
            Process p = new ProcessBuilder(List.of(HostProgram.MKSQUASHFS.program(), dir.toString(), tmp.toString(), "-noappend", "-quiet",
                    "-no-progress", "-comp", "gzip"))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                Files.deleteIfExists(tmp);
                throw new VmConfigException(VmConfigException.ROOTFS_INVALID, "mksquashfs of " + dir + " failed: " + output.strip());
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot pack rootfs " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted packing " + dir);
        }
    }

    /** Path, names, sizes and mtimes of everything under dir: cheap, and changes with any edit. */
    private static String fingerprint(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dir.toString().getBytes(StandardCharsets.UTF_8));
            for (Path f : walk.sorted().toList()) {
                // the entry itself, not what a symlink points to: a dangling link (e.g. /etc/resolv.conf ->
                // /run/...) is ordinary in a rootfs and is packed as a link
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(f,
                        java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                sha.update((dir.relativize(f) + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read rootfs " + dir + ": " + e.getMessage(), e);
        }
    }
}
