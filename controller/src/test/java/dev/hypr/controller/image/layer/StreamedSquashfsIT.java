package dev.hypr.controller.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed pipeline (LayerMerger into tar2sqfs) on a three-layer image with every feature
 * the merge must get right, checked with real tools: {@code unsquashfs -lln} for the file set,
 * modes and numeric owners, {@code rdsquashfs} for contents, hard links and xattrs, and umoci
 * (an independent OCI layer applier) unpacking the same layers for the file set, contents,
 * symlinks and hard-link groups.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamedSquashfsIT {
    static final byte[] CAP = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    static Path work;
    static List<LayerSource> layers;
    static Path squashfs;

    @BeforeAll
    static void build() throws Exception {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        xattrs.put("security.capability", CAP);
        xattrs.put("user.note", "hello".getBytes(StandardCharsets.UTF_8));
        TarBuilder base = new TarBuilder().dir("etc").file("etc/passwd", "root:x:0:0\n").file("etc/gone", "bye")
                .dir("usr").dir("usr/bin").file("usr/bin/tool", "#!tool v1", 04755, 0, 0).hardlink("usr/bin/tool-alias", "usr/bin/tool")
                .fileWithXattrs("usr/bin/ping", "ping", xattrs)
                .dir("usr/lib").file("usr/lib/libz.so.1", "zlib A").hardlink("usr/lib/libz.so.1.2", "usr/lib/libz.so.1")
                .symlink("bin", "usr/bin")
                .dir("srv/data", 0750, 1000, 33).file("srv/data/a.txt", "a", 0640, 1000, 33)
                .dir("opt/old").file("opt/old/x", "x").file("opt/old/y", "y")
                .dir("var/lib/thing").file("var/lib/thing/inner", "inner")
                .charDevice("dev/null", 1, 3);
        TarBuilder middle = new TarBuilder().file("etc/.wh.gone", "")
                .file("opt/old/.wh..wh..opq", "").file("opt/old/z", "z")
                .file("var/lib/thing", "now a file")
                .file("usr/lib/libz.so.1", "zlib B")
                .file("srv/data/b.txt", "b", 0640, 1000, 33)
                .dir("home/user", 0700, 1000, 1000).file("home/user/.profile", "export A=1", 0644, 1000, 1000)
                .hardlink("home/user/tool", "usr/bin/tool");
        TarBuilder top = new TarBuilder().file("usr/bin/.wh.tool", "").dir("srv/data", 0770, 1000, 33).file("etc/motd", "hi");
        TarBuilder[] all = {base, middle, top};
        for (int i = 0; i < all.length; i++) {
            Files.write(work.resolve("layer" + i + ".tar"), all[i].bytes());
        }
        layers = TarBuilder.image(all);
        squashfs = work.resolve("rootfs.squashfs");
        new SquashfsBuilder("tar2sqfs", "zstd", OptionalInt.of(6))
                .build(tar -> new LayerMerger(new ExtractionBudget(1 << 30, 10_000)).merge(layers, tar), squashfs, work);
    }

    @Test
    void fileSetModesAndNumericOwnersAsUnsquashfsListsThem() throws Exception {
        Map<String, String> listing = new TreeMap<>();
        for (String line : run("unsquashfs", "-lln", squashfs.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            int path = f[2].endsWith(",") ? 6 : 5; // devices show "major, minor" where files show a size
            String name = f[path].replaceFirst("^squashfs-root/?", "");
            String rest = String.join(" ", List.of(f).subList(path + 1, f.length));
            listing.put(name, f[0] + " " + f[1] + (f[0].startsWith("-") ? " " + f[2] : "") + (rest.isEmpty() ? "" : " " + rest));
        }
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("", "drwxr-xr-x 0/0"),
                Map.entry("bin", "lrwxrwxrwx 0/0 -> usr/bin"), // squashfs keeps no symlink permissions
                Map.entry("dev", "drwxr-xr-x 0/0"),
                Map.entry("dev/null", "crw-rw-rw- 0/0"),
                Map.entry("etc", "drwxr-xr-x 0/0"),
                Map.entry("etc/motd", "-rw-r--r-- 0/0 2"),
                Map.entry("etc/passwd", "-rw-r--r-- 0/0 11"),
                Map.entry("home", "drwxr-xr-x 0/0"),
                Map.entry("home/user", "drwx------ 1000/1000"),
                Map.entry("home/user/.profile", "-rw-r--r-- 1000/1000 10"),
                Map.entry("home/user/tool", "-rwsr-xr-x 0/0 9"),
                Map.entry("opt", "drwxr-xr-x 0/0"),
                Map.entry("opt/old", "drwxr-xr-x 0/0"),
                Map.entry("opt/old/z", "-rw-r--r-- 0/0 1"),
                Map.entry("srv", "drwxr-xr-x 0/0"),
                Map.entry("srv/data", "drwxrwx--- 1000/33"),
                Map.entry("srv/data/a.txt", "-rw-r----- 1000/33 1"),
                Map.entry("srv/data/b.txt", "-rw-r----- 1000/33 1"),
                Map.entry("usr", "drwxr-xr-x 0/0"),
                Map.entry("usr/bin", "drwxr-xr-x 0/0"),
                Map.entry("usr/bin/ping", "-rw-r--r-- 0/0 4"),
                Map.entry("usr/bin/tool-alias", "-rwsr-xr-x 0/0 9"),
                Map.entry("usr/lib", "drwxr-xr-x 0/0"),
                Map.entry("usr/lib/libz.so.1", "-rw-r--r-- 0/0 6"),
                Map.entry("usr/lib/libz.so.1.2", "-rw-r--r-- 0/0 6"),
                Map.entry("var", "drwxr-xr-x 0/0"),
                Map.entry("var/lib", "drwxr-xr-x 0/0"),
                Map.entry("var/lib/thing", "-rw-r--r-- 0/0 10")));
        assertEquals(expected, listing);
    }

    @Test
    void contentsHardLinksAndXattrsAsRdsquashfsReadsThem() throws Exception {
        assertEquals("zlib B", cat("usr/lib/libz.so.1"));
        assertEquals("zlib A", cat("usr/lib/libz.so.1.2"), "the link keeps the inode its layer linked to");
        assertEquals("#!tool v1", cat("home/user/tool"), "a link to a file a higher layer deleted keeps the data");
        assertEquals(inode("usr/bin/tool-alias"), inode("home/user/tool"), "links from two layers share one inode");
        assertNotEquals(inode("usr/lib/libz.so.1"), inode("usr/lib/libz.so.1.2"));
        assertTrue(stat("usr/bin/tool-alias").contains("Hard link count: 2"), stat("usr/bin/tool-alias"));
        assertEquals("now a file", cat("var/lib/thing"));
        String x = run("rdsquashfs", "-x", "/usr/bin/ping", squashfs.toString());
        assertTrue(x.contains("security.capability=0x" + HexFormat.of().formatHex(CAP)), x);
        assertTrue(x.contains("user.note=hello"), x);
        assertTrue(stat("srv/data").contains("Last modified"), "directories keep their times from the tar");
    }

    /** umoci applies the same three layers to a directory; the squashfs must hold the same tree. */
    @Test
    void sameTreeAsUmociUnpacksFromTheSameLayers() throws Exception {
        Path ref = work.resolve("ref");
        run("umoci", "init", "--layout", ref.toString());
        run("umoci", "new", "--image", ref + ":t");
        for (int i = 0; i < layers.size(); i++) {
            run("umoci", "raw", "add-layer", "--image", ref + ":t", work.resolve("layer" + i + ".tar").toString());
        }
        Path unpacked = work.resolve("umoci");
        run("umoci", "unpack", "--rootless", "--image", ref + ":t", unpacked.toString());
        Path ours = work.resolve("ours");
        run("unsquashfs", "-no-xattrs", "-excludes", "-d", ours.toString(), squashfs.toString(), "dev/null"); // it re-creates hard links
        Map<String, String> theirs = tree(unpacked.resolve("rootfs"));
        theirs.remove("dev/null"); // rootless umoci cannot make device nodes; unsquashfs was told not to
        assertEquals(theirs, tree(ours));
    }

    @Test
    void aRejectedLayerLeavesNoImageAndStopsTar2sqfs() throws Exception {
        Path out = work.resolve("rejected.squashfs");
        List<LayerSource> bad = TarBuilder.image(new TarBuilder().file("ok", "1"), new TarBuilder().file("../escape", "x"));
        LayerRejectedException e = assertThrows(LayerRejectedException.class, () -> new SquashfsBuilder("tar2sqfs", "zstd",
                OptionalInt.empty()).build(tar -> new LayerMerger(new ExtractionBudget(1 << 20, 100)).merge(bad, tar), out, work));
        assertEquals("layer 2/2: entry '../escape': path traversal: '..' in '../escape'", e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aTar2sqfsFailureCarriesItsMessage() {
        IOException e = assertThrows(IOException.class, () -> new SquashfsBuilder("tar2sqfs", "no-such-compressor", OptionalInt.empty())
                .build(tar -> new LayerMerger(new ExtractionBudget(1 << 20, 100)).merge(layers, tar), work.resolve("x.squashfs"), work));
        assertTrue(e.getMessage().startsWith("tar2sqfs failed (exit 1): "), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-compressor"), e.getMessage());
    }

    /** path -> type and what identifies it: content hash, link target, or the first name of its hard-link group. */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> firstName = new LinkedHashMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.sorted().toList());
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            if (Files.isSymbolicLink(p)) {
                out.put(rel, "symlink " + Files.readSymbolicLink(p));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.put(rel, "dir");
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                String group = firstName.computeIfAbsent(Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS), k -> rel);
                out.put(rel, "file " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        + " inode-of " + group);
            } else {
                out.put(rel, "other");
            }
        }
        return out;
    }

    private static String cat(String path) throws Exception {
        return run("rdsquashfs", "-c", "/" + path, squashfs.toString());
    }

    private static String stat(String path) throws Exception {
        return run("rdsquashfs", "-s", "/" + path, squashfs.toString());
    }

    private static String inode(String path) throws Exception {
        return stat(path).lines().filter(l -> l.startsWith("Inode number:")).findFirst().orElseThrow();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
