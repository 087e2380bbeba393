package dev.hypr.controller.build;

import dev.hypr.controller.image.layer.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks a merged filesystem tar (a stage's or an image's, as {@link LayerStack#mergeTo} writes
 * it) into a host directory with owners, modes and times, for a RUN's bind mount of that stage
 * over virtiofs. Names are confined to the directory ({@code ..} and absolute links are entries'
 * own business inside the guest, never followed here); devices and fifos are skipped.
 */
final class TreeExtractor {
    private TreeExtractor() {
    }

    static void extract(InputStream tar, Path dir) throws IOException {
        TarReader reader = new TarReader(tar);
        byte[] buf = new byte[1 << 16];
        List<Object[]> dirTimes = new ArrayList<>();
        for (TarReader.Entry e; (e = reader.next()) != null; ) {
            String name = CopyLayer.stripSlashes(e.name());
            if (name.isEmpty()) continue;
            Path p = dir.resolve(name).normalize();
            if (!p.startsWith(dir) || p.equals(dir)) {
                throw new IOException("tar entry " + e.name() + " leads outside " + dir);
            }
            Files.createDirectories(p.getParent());
            switch (e.type()) {
                case '5' -> {
                    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(p);
                    dirTimes.add(new Object[] {p, e.mtime()});
                }
                case '0' -> {
                    try (OutputStream o = Files.newOutputStream(p)) {
                        for (int n; (n = reader.read(buf, 0, buf.length)) > 0; ) o.write(buf, 0, n);
                    }
                }
                case '2' -> Files.createSymbolicLink(p, Path.of(e.linkName()));
                case '1' -> {
                    Path target = dir.resolve(CopyLayer.stripSlashes(e.linkName())).normalize();
                    if (!target.startsWith(dir)) throw new IOException("hard link " + e.name() + " leads outside " + dir);
                    Files.createLink(p, target);
                    continue; // the inode's metadata is the target's
                }
                default -> {
                    continue;
                }
            }
            Files.setAttribute(p, "unix:uid", (int) e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) e.gid(), LinkOption.NOFOLLOW_LINKS);
            if (e.type() != '2') {
                Files.setAttribute(p, "unix:mode", e.mode() & 07777);
                Files.setLastModifiedTime(p, FileTime.fromMillis(e.mtime() * 1000));
            }
        }
        for (Object[] d : dirTimes) { // children changed them while they were written
            Files.setLastModifiedTime((Path) d[0], FileTime.fromMillis((Long) d[1] * 1000));
        }
    }
}
