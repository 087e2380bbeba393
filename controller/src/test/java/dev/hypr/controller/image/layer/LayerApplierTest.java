package dev.hypr.controller.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplierTest {
    @TempDir
    Path tmp;
    Path root;
    RootfsMetadata meta;
    LayerApplier applier;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(tmp.resolve("rootfs"));
        meta = new RootfsMetadata();
        applier = new LayerApplier(root, meta, new ExtractionBudget(1 << 20, 1000));
    }

    @Test
    void filesDirsSymlinksHardlinksAndOwnership() throws Exception {
        applier.apply(new TarBuilder().dir("etc").file("etc/passwd", "root:x:0:0", 0600, 0, 42)
                .file("/usr/bin/tool", "#!/bin/sh", 04755, 1000, 1000)
                .symlink("bin", "usr/bin").hardlink("usr/bin/tool2", "usr/bin/tool")
                .charDevice("dev/null", 1, 3).stream(), "1");
        assertEquals("root:x:0:0", Files.readString(root.resolve("etc/passwd")));
        assertEquals(Path.of("usr/bin"), Files.readSymbolicLink(root.resolve("bin")));
        assertEquals(Files.getAttribute(root.resolve("usr/bin/tool"), "unix:ino"),
                Files.getAttribute(root.resolve("usr/bin/tool2"), "unix:ino"));
        assertFalse(Files.exists(root.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS), "device nodes never reach the host");
        assertEquals(04755, meta.get("usr/bin/tool").mode());
        assertEquals(1000, meta.get("usr/bin/tool2").uid());
        assertEquals(42, meta.get("etc/passwd").gid());
        assertEquals('C', meta.get("dev/null").type());
        Path pseudo = tmp.resolve("pseudo");
        meta.writePseudoFile(pseudo);
        String text = Files.readString(pseudo);
        assertTrue(text.contains("usr/bin/tool M "), text);
        assertTrue(text.contains(" 4755 1000 1000\n"), text);
        assertTrue(text.contains("\netc m 755 0 0\n"), "directories get 'm' (no time): " + text);
        assertTrue(text.matches("(?s).*\ndev/null C \\d+ 666 0 0 1 3\n.*"), text);
    }

    @Test
    void whiteoutsAndOpaqueDirectories() throws Exception {
        applier.apply(new TarBuilder().file("a/keep", "1").file("a/gone", "2").file("b/old1", "3").file("b/old2", "4")
                .file("c/x", "5").stream(), "1");
        applier.apply(new TarBuilder().file("a/.wh.gone", "").file("b/new", "6").file("b/.wh..wh..opq", "")
                .file(".wh.c", "").stream(), "2");
        assertTrue(Files.exists(root.resolve("a/keep")));
        assertFalse(Files.exists(root.resolve("a/gone")));
        assertFalse(Files.exists(root.resolve("b/old1")));
        assertTrue(Files.exists(root.resolve("b/new")), "opaque hides lower layers only, not entries of its own layer");
        assertFalse(Files.exists(root.resolve("c")));
        assertEquals(null, meta.get("c/x"));
        assertFalse(Files.exists(root.resolve("a/.wh.gone")), "whiteout markers are not files");
    }

    @Test
    void upperLayerReplacesSymlinkWithFileWithoutFollowingIt() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "original");
        applier.apply(new TarBuilder().symlink("link", outside.toString()).stream(), "1");
        applier.apply(new TarBuilder().file("link", "replaced").stream(), "2");
        assertEquals("original", Files.readString(outside));
        assertEquals("replaced", Files.readString(root.resolve("link")));
    }

    @Test
    void gzipAndZstdLayersAreDetectedByMagic() throws Exception {
        byte[] tar = new TarBuilder().file("hello", "world").stream().readAllBytes();
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
                assertEquals("hello", new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in).getNextEntry().getName());
            }
        }
    }

    @Test
    void nameNormalisation() throws Exception {
        assertEquals("etc/passwd", LayerApplier.normalise("/etc/passwd"));
        assertEquals("etc/passwd", LayerApplier.normalise("./etc//./passwd/"));
        assertEquals("", LayerApplier.normalise("./"));
        assertThrows(LayerRejectedException.class, () -> LayerApplier.normalise("a/../../b"));
    }

    @Test
    void pseudoFileEscapesSpaces() {
        assertEquals("my\\ file\\\\x", RootfsMetadata.escape("my file\\x"));
    }
}
