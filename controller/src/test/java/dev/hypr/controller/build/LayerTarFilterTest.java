package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.image.layer.TarReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropping mount points from a layer keeps every other entry byte for byte, long names and xattrs included. */
class LayerTarFilterTest {
    @TempDir
    Path dir;

    @Test
    void dropsOnlyTheNamedEntries() throws Exception {
        Path in = dir.resolve("in.tar");
        String longName = "deep/" + "x".repeat(150) + "/file";
        try (TarArchiveOutputStream tar = CopyLayer.newTar(Files.newOutputStream(in))) {
            dir(tar, "mnt/");
            dir(tar, "mnt/cache/");
            file(tar, "etc/keep", "kept\n", Map.of());
            file(tar, longName, "long\n", Map.of("SCHILY.xattr.user.note", "v"));
            TarArchiveEntry link = new TarArchiveEntry("etc/link", TarConstants.LF_SYMLINK);
            link.setLinkName("keep");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "mnt/cache-sibling", "odd\n", Map.of());
        }
        Path out = dir.resolve("out.tar");
        assertEquals(2, LayerTarFilter.drop(in, out, Set.of("mnt", "mnt/cache")));
        List<String> names = new ArrayList<>();
        try (InputStream s = Files.newInputStream(out)) {
            TarReader r = new TarReader(s);
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                byte[] buf = new byte[512];
                for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) data.write(buf, 0, n);
                names.add(CopyLayer.stripSlashes(e.name()) + "=" + data.toString(StandardCharsets.UTF_8));
                if (e.name().equals(longName)) assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), e.xattrs().get("user.note"));
                if (e.name().equals("etc/link")) assertEquals("keep", e.linkName());
            }
        }
        assertEquals(List.of("etc/keep=kept\n", longName + "=long\n", "etc/link=", "mnt/cache-sibling=odd\n"), names);
        assertEquals(0, LayerTarFilter.drop(in, dir.resolve("same.tar"), Set.of("nothing")));
        assertArrayEquals(stripEnd(Files.readAllBytes(in)), stripEnd(Files.readAllBytes(dir.resolve("same.tar"))),
                "with nothing dropped the archive is the same bytes");
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, false);
        e.setMode(0755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, Map<String, String> pax) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        pax.forEach(e::addPaxHeader);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    /** The archive without its trailing zero blocks (writers pad the end to different record sizes). */
    private static byte[] stripEnd(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) end--;
        return java.util.Arrays.copyOf(b, end);
    }
}
