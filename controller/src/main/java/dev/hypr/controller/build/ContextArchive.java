package dev.hypr.controller.build;

import dev.hypr.controller.image.layer.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Unpacks the build context tar the CLI sent into a private directory: only regular files,
 * directories and symlinks, names that stay inside it (no absolute paths, no {@code ..}, nothing
 * written through a symlink), modes kept, owners not (COPY owns files by root or --chown).
 */
final class ContextArchive {
    private ContextArchive() {
    }

    static void extract(InputStream tar, Path dir) throws IOException, BuildFailedException {
        TarReader reader = new TarReader(tar);
        byte[] buf = new byte[1 << 16];
        for (TarReader.Entry e; (e = reader.next()) != null; ) {
            String name = CopyLayer.stripSlashes(e.name());
            if (name.isEmpty()) continue;
            if (e.name().startsWith("/") || ("/" + name + "/").contains("/../")) {
                throw new BuildFailedException("build context: entry \"" + e.name() + "\" leaves the context");
            }
            Path target = dir.resolve(name).normalize();
            if (!target.startsWith(dir) || target.equals(dir)) {
                throw new BuildFailedException("build context: entry \"" + e.name() + "\" leaves the context");
            }
            for (Path p = target.getParent(); p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent()) {
                if (Files.isSymbolicLink(p)) {
                    throw new BuildFailedException("build context: entry \"" + e.name() + "\" is under a symlink");
                }
            }
            Files.createDirectories(target.getParent());
            switch (e.type()) {
                case '5' -> {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, perms(e.mode() | 0700));
                }
                case '2' -> Files.createSymbolicLink(target, Path.of(e.linkName()));
                case '0' -> {
                    try (OutputStream o = Files.newOutputStream(target)) {
                        for (int n; (n = reader.read(buf, 0, buf.length)) > 0; ) o.write(buf, 0, n);
                    }
                    Files.setPosixFilePermissions(target, perms(e.mode()));
                }
                default -> throw new BuildFailedException("build context: entry \"" + e.name() + "\" is not a file, directory or symlink");
            }
        }
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) out.add(all[i]);
        }
        return out;
    }
}
