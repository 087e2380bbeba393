package dev.hypr.controller.build;

import dev.hypr.api.build.CopySources;
import dev.hypr.controller.image.layer.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * ADD's local archives: a file is one when its content (never its name) is a tar, plain or
 * compressed with gzip, bzip2, xz or zstd, as BuildKit judges it; a compressed file that holds
 * no tar is copied as it is. Unpacking keeps the archive's names (below the destination),
 * modes, owners (unless --chown), times and links.
 */
final class LocalArchive {
    private LocalArchive() {
    }

    static boolean isTar(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        if (!CopySources.isLocalArchive(head)) return false;
        try (InputStream in = open(file)) {
            return new TarReader(in).next() != null; // a header with a good checksum
        } catch (IOException | RuntimeException e) {
            return false; // compressed, but no tar inside
        }
    }

    /** The archive's content, decompressed. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(8);
        byte[] m = in.readNBytes(6);
        in.reset();
        try {
            if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) return new GzipCompressorInputStream(in, true);
            if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') return new BZip2CompressorInputStream(in, true);
            if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
                return new XZCompressorInputStream(in, true);
            }
            if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
                return new ZstdCompressorInputStream(in);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Writes the archive's entries below {@code destDir} (relative to /) into {@code tar}. */
    static void unpack(Path archive, String destDir, Optional<long[]> owner, TarArchiveOutputStream tar) throws IOException {
        try (InputStream in = open(archive)) {
            TarReader reader = new TarReader(in);
            byte[] buf = new byte[1 << 16];
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                String rel = clean(e.name(), archive);
                if (rel.isEmpty()) continue;
                String name = destDir.isEmpty() ? rel : destDir + "/" + rel;
                byte flag = switch (e.type()) {
                    case '5' -> TarConstants.LF_DIR;
                    case '2' -> TarConstants.LF_SYMLINK;
                    case '1' -> TarConstants.LF_LINK;
                    case '0' -> TarConstants.LF_NORMAL;
                    default -> (byte) 0;
                };
                if (flag == 0) continue; // devices and fifos are not unpacked
                TarArchiveEntry t = new TarArchiveEntry(e.type() == '5' ? name + "/" : name, flag, false);
                t.setMode(e.mode());
                t.setUserId(owner.map(u -> u[0]).orElse(e.uid()));
                t.setGroupId(owner.map(u -> u[1]).orElse(e.gid()));
                t.setLastModifiedTime(FileTime.from(e.mtime(), TimeUnit.SECONDS));
                if (e.type() == '2') t.setLinkName(e.linkName());
                if (e.type() == '1') {
                    String target = clean(e.linkName(), archive);
                    t.setLinkName(destDir.isEmpty() ? target : destDir + "/" + target);
                }
                if (e.type() == '0') t.setSize(e.size());
                tar.putArchiveEntry(t);
                if (e.type() == '0') {
                    for (int n; (n = reader.read(buf, 0, buf.length)) > 0; ) tar.write(buf, 0, n);
                }
                tar.closeArchiveEntry();
            }
        }
    }

    /** An entry name relative to the destination; one that climbs out with {@code ..} is refused. */
    private static String clean(String name, Path archive) throws IOException {
        String n = Path.of("/").resolve(CopyLayer.stripSlashes(name)).normalize().toString();
        String rel = CopyLayer.stripSlashes(n);
        for (String part : CopyLayer.stripSlashes(name).split("/")) {
            if (part.equals("..")) throw new IOException(archive.getFileName() + ": entry " + name + " leads outside the destination");
        }
        return rel;
    }
}
