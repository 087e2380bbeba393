package dev.hypr.controller.image.layer;

import static dev.hypr.controller.image.layer.TarBuilder.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged stream, read back with Commons Compress (an independent tar reader). */
class LayerMergerTest {
    @TempDir
    Path tmp;

    /** One merged entry: type, mode, owner, link target, content. */
    record Out(char type, int mode, long uid, long gid, String link, String content, Map<String, String> pax) {
    }

    static Map<String, Out> merge(List<LayerSource> layers) throws IOException {
        return read(mergedBytes(layers));
    }

    static byte[] mergedBytes(List<LayerSource> layers) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new LayerMerger(new ExtractionBudget(1 << 20, 1000)).merge(layers, tar);
        return tar.toByteArray();
    }

    static Map<String, Out> read(byte[] tar) throws IOException {
        Map<String, Out> out = new LinkedHashMap<>();
        TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar));
        for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
            String name = e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1) : e.getName();
            assertFalse(out.containsKey(name), "written twice: " + name);
            if (e.isLink()) {
                assertTrue(out.containsKey(e.getLinkName()) && out.get(e.getLinkName()).type() == '0',
                        "a hard link comes after the regular file it names: " + name + " -> " + e.getLinkName());
            }
            out.put(name, new Out((char) e.getLinkFlag(), e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), e.getLinkName(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), e.getExtraPaxHeaders()));
        }
        return out;
    }

    @Test
    void filesDirsSymlinksHardlinksDevicesAndOwnership() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().dir("etc").file("etc/passwd", "root:x:0:0", 0600, 0, 42)
                .file("/usr/bin/tool", "#!/bin/sh", 04755, 1000, 1000).symlink("bin", "usr/bin")
                .hardlink("usr/bin/tool2", "usr/bin/tool").charDevice("dev/null", 1, 3).file("./", "")));
        assertEquals("root:x:0:0", m.get("etc/passwd").content());
        assertEquals(0600, m.get("etc/passwd").mode());
        assertEquals(42, m.get("etc/passwd").gid());
        assertEquals(new Out('0', 04755, 1000, 1000, "", "#!/bin/sh", Map.of()), m.get("usr/bin/tool"));
        assertEquals('2', m.get("bin").type());
        assertEquals("usr/bin", m.get("bin").link());
        assertEquals('1', m.get("usr/bin/tool2").type());
        assertEquals("usr/bin/tool", m.get("usr/bin/tool2").link());
        assertEquals('3', m.get("dev/null").type());
        assertFalse(m.containsKey("") || m.containsKey("."), "the root entry is not written: " + m.keySet());
    }

    @Test
    void whiteoutsAndOpaqueDirectories() throws Exception {
        Map<String, Out> m = merge(image(
                new TarBuilder().file("a/keep", "1").file("a/gone", "2").file("b/old1", "3").file("b/old2", "4").file("c/x", "5"),
                new TarBuilder().file("a/.wh.gone", "").file("b/new", "6").file("b/.wh..wh..opq", "").file(".wh.c", "")));
        assertEquals(List.of("b/new", "a/keep"), new ArrayList<>(m.keySet()), "top layer first; whiteouts are not files");
    }

    @Test
    void opaqueDirectoryOnItsOwnIsStillADirectory() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().file("d/old", "1"), new TarBuilder().file("d/.wh..wh..opq", "")));
        assertEquals(List.of("d"), new ArrayList<>(m.keySet()));
        assertEquals('5', m.get("d").type());
    }

    @Test
    void fileOrSymlinkReplacingADirectoryHidesItsContents() throws Exception {
        Map<String, Out> m = merge(image(
                new TarBuilder().dir("d").file("d/x", "lower").dir("e").file("e/y", "lower"),
                new TarBuilder().file("d", "now a file").symlink("e", "/elsewhere")));
        assertEquals(List.of("d", "e"), new ArrayList<>(m.keySet()));
        assertEquals("now a file", m.get("d").content());
    }

    @Test
    void highestDirectoryMetadataWinsAndImplicitParentsTakeALowerOne() throws Exception {
        Map<String, Out> m = merge(image(
                new TarBuilder().dir("srv", 0700, 5, 6).dir("srv/data", 0750, 1000, 33).file("srv/data/a", "a"),
                new TarBuilder().dir("srv/data", 0770, 1000, 33).file("srv/data/b", "b", 0640, 1000, 33)));
        assertEquals(0770, m.get("srv/data").mode());
        assertEquals(0700, m.get("srv").mode(), "srv is only a parent in the top layer: the lower declaration counts");
        assertEquals(5, m.get("srv").uid());
        assertEquals(List.of("srv/data", "srv/data/b", "srv", "srv/data/a"), new ArrayList<>(m.keySet()));
    }

    @Test
    void upperFileReplacesLowerOneWithoutFollowingASymlink() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().symlink("link", "/etc/shadow"), new TarBuilder().file("link", "replaced")));
        assertEquals(List.of("link"), new ArrayList<>(m.keySet()));
        assertEquals('0', m.get("link").type());
    }

    @Test
    void hardLinkToALowerLayerIsWrittenAfterItsTarget() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().file("t", "data"), new TarBuilder().hardlink("l", "t")));
        assertEquals(List.of("t", "l"), new ArrayList<>(m.keySet()));
        assertEquals("t", m.get("l").link());
    }

    @Test
    void hardLinkKeepsTheVersionOfItsTargetThatItsLayerSaw() throws Exception {
        // layer 1: t and its links l1, l2; layer 2 replaces t: the links keep the old inode, as extraction gives
        Map<String, Out> m = merge(image(new TarBuilder().file("t", "old").hardlink("l1", "t").hardlink("l2", "t"),
                new TarBuilder().file("t", "new")));
        assertEquals("new", m.get("t").content());
        assertEquals(new Out('0', 0644, 0, 0, "", "old", Map.of()), m.get("l1"), "the first link carries the data (read again)");
        assertEquals("l1", m.get("l2").link());
    }

    @Test
    void hardLinkWhoseTargetIsWhitedOutAboveCarriesTheData() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().file("t", "data", 0755, 7, 8), new TarBuilder().hardlink("l", "t"),
                new TarBuilder().file(".wh.t", "")));
        assertEquals(List.of("l"), new ArrayList<>(m.keySet()));
        assertEquals(new Out('0', 0755, 7, 8, "", "data", Map.of()), m.get("l"), "with the target's metadata");
    }

    @Test
    void hardLinkToATargetAnIntermediateLayerDeletedIsRejected() {
        LayerRejectedException e = assertThrows(LayerRejectedException.class, () -> merge(image(new TarBuilder().file("t", "data"),
                new TarBuilder().file(".wh.t", ""), new TarBuilder().hardlink("l", "t"))));
        assertEquals("layer 3/3: entry 'l': hard link target 't' was deleted by layer 2/3 (a whiteout) before the link was made",
                e.getMessage());
    }

    @Test
    void hardLinkToAMissingTargetIsRejected() {
        LayerRejectedException e = assertThrows(LayerRejectedException.class,
                () -> merge(image(new TarBuilder().file("x", ""), new TarBuilder().hardlink("l", "nowhere"))));
        assertEquals("layer 2/2: entry 'l': hard link target 'nowhere' is not a regular file already in the rootfs", e.getMessage());
    }

    @Test
    void chainsOfLinksAcrossLayersShareOneInode() throws Exception {
        Map<String, Out> m = merge(image(new TarBuilder().file("a", "x").hardlink("b", "a"), new TarBuilder().hardlink("c", "b"),
                new TarBuilder().hardlink("d", "c")));
        assertEquals("x", m.get("a").content());
        assertEquals("a", m.get("b").link());
        assertEquals("a", m.get("c").link());
        assertEquals("a", m.get("d").link());
    }

    @Test
    void binaryXattrsSurviveAndUnstorableNamespacesAreDropped() throws Exception {
        byte[] cap = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        xattrs.put("security.capability", cap);
        xattrs.put("user.note", "a=b".getBytes(StandardCharsets.UTF_8));
        xattrs.put("system.posix_acl_access", new byte[] {2, 0, 0, 0});
        Map<String, Out> m = merge(image(new TarBuilder().fileWithXattrs("usr/bin/ping", "ping", xattrs)));
        Map<String, String> pax = m.get("usr/bin/ping").pax();
        assertArrayEquals(cap, Base64.getDecoder().decode(pax.get("LIBARCHIVE.xattr.security.capability")));
        assertEquals("a=b", new String(Base64.getDecoder().decode(pax.get("LIBARCHIVE.xattr.user.note")), StandardCharsets.UTF_8));
        assertEquals(2, pax.size(), pax.toString());
    }

    @Test
    void longNamesAndBigIdsAreWrittenAsPax() throws Exception {
        String name = "d/" + "x".repeat(200);
        Map<String, Out> m = merge(image(new TarBuilder().file(name, "long", 0644, 3_000_000, 3_000_001)));
        assertEquals(3_000_000, m.get(name).uid());
        assertEquals(3_000_001, m.get(name).gid());
    }

    @Test
    void gzipAndZstdLayersAreDetectedByMagic() throws Exception {
        byte[] tar = new TarBuilder().file("hello", "world").bytes();
        Path gz = tmp.resolve("layer.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(tar);
        }
        Path zst = tmp.resolve("layer.zst");
        try (var out = new org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream(Files.newOutputStream(zst))) {
            out.write(tar);
        }
        for (Path layer : new Path[] {gz, zst, Files.write(tmp.resolve("layer.tar"), tar)}) {
            try (var in = LayerStreams.openTar(layer)) {
                assertEquals("hello", new TarReader(in).next().name());
            }
        }
    }

    @Test
    void nameNormalisation() throws Exception {
        assertEquals("etc/passwd", LayerMerger.normalise("/etc/passwd"));
        assertEquals("etc/passwd", LayerMerger.normalise("./etc//./passwd/"));
        assertEquals("", LayerMerger.normalise("./"));
        assertThrows(LayerRejectedException.class, () -> LayerMerger.normalise("a/../../b"));
    }

    @Test
    void aFailingLayerSourceFailsTheMergeWithItsOwnException() {
        List<LayerSource> layers = List.of(new LayerSource() {
            @Override
            public String label() {
                return "1/1";
            }

            @Override
            public java.io.InputStream open() throws Exception {
                throw new java.io.FileNotFoundException("blob gone");
            }
        });
        assertEquals("blob gone", assertThrows(java.io.FileNotFoundException.class, () -> mergedBytes(layers)).getMessage());
    }
}
