package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.build.CopySources.Item;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path ctx;

    private Path write(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private static Map<String, String> targets(List<Item> items) {
        Map<String, String> m = new TreeMap<>();
        items.forEach(i -> m.put(i.target(), i.entry().path()));
        return m;
    }

    @Test
    void dockerignoreWithReIncludeAndParentDirs() throws IOException {
        write("app/main.sh", "echo hi");
        write("app/notes.md", "notes");
        write("docs/keep.md", "keep");
        write("docs/drop.md", "drop");
        write(".dockerignore", "*.md\n**/*.md\n!docs/keep.md\n");
        BuildContext c = BuildContext.walk(ctx);
        assertEquals(List.of(".dockerignore", "app", "app/main.sh", "docs", "docs/keep.md"), List.copyOf(c.entries().keySet()));
    }

    @Test
    void symlinksOutOfTheContextAreRefusedUnlessIgnored() throws IOException {
        write("a.txt", "a");
        Files.createSymbolicLink(ctx.resolve("inside"), Path.of("a.txt"));
        BuildContext ok = BuildContext.walk(ctx);
        assertEquals("a.txt", ok.entries().get("inside").linkTarget());
        Files.createSymbolicLink(ctx.resolve("passwd"), Path.of("/etc/passwd"));
        IllegalArgumentException abs = assertThrows(IllegalArgumentException.class, () -> BuildContext.walk(ctx));
        assertTrue(abs.getMessage().contains("symlink passwd -> /etc/passwd leads out of the context"), abs.getMessage());
        Files.delete(ctx.resolve("passwd"));
        Files.createDirectories(ctx.resolve("sub"));
        Files.createSymbolicLink(ctx.resolve("sub/up"), Path.of("../../x"));
        assertThrows(IllegalArgumentException.class, () -> BuildContext.walk(ctx));
        write(".dockerignore", "sub/up\n");
        assertFalse(BuildContext.walk(ctx).entries().containsKey("sub/up"));
    }

    @Test
    void hashesFollowNamesModesAndContentsNotMtimes() throws IOException {
        Path f = write("f.txt", "one");
        String h1 = BuildContext.walk(ctx).entries().get("f.txt").sha256();
        Files.setLastModifiedTime(f, FileTime.from(12345, TimeUnit.SECONDS));
        assertEquals(h1, BuildContext.walk(ctx).entries().get("f.txt").sha256(), "mtime is not part of the hash");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        BuildContext.Entry e = BuildContext.walk(ctx).entries().get("f.txt");
        assertEquals(0755, e.mode());
        assertNotEquals(h1, e.sha256(), "mode is part of the hash");
        Files.writeString(f, "two");
        assertNotEquals(e.sha256(), BuildContext.walk(ctx).entries().get("f.txt").sha256());
    }

    @Test
    void tarIsDeterministicAndReadableByTar() throws Exception {
        write("dir/a.txt", "alpha\n");
        write("dir/" + "long-name-".repeat(12) + ".txt", "long");
        Files.createSymbolicLink(ctx.resolve("dir/link"), Path.of("a.txt"));
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        BuildContext.walk(ctx).writeTar(one);
        Files.setLastModifiedTime(ctx.resolve("dir/a.txt"), FileTime.from(99, TimeUnit.SECONDS));
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        BuildContext.walk(ctx).writeTar(two);
        assertArrayEquals(one.toByteArray(), two.toByteArray());
        Map<String, String> read = readTar(one.toByteArray());
        assertEquals("0:alpha\n", read.get("dir/a.txt"));
        assertEquals("0:long", read.get("dir/" + "long-name-".repeat(12) + ".txt"), "PAX path for names over 100 bytes");
        assertEquals("2:a.txt", read.get("dir/link"));
        assertEquals("5:", read.get("dir/"));
        assertEquals(0, one.size() % 512);
    }

    /** A tar reader just strict enough to check the writer: name to "typeflag:content-or-link". */
    private static Map<String, String> readTar(byte[] tar) {
        Map<String, String> out = new TreeMap<>();
        String paxPath = null;
        for (int off = 0; off + 512 <= tar.length; ) {
            if (tar[off] == 0) {
                break;
            }
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : tar[off + i] & 0xff;
            }
            assertEquals(sum, Long.parseLong(field(tar, off + 148, 6), 8), "header checksum");
            String name = field(tar, off, 100);
            long size = Long.parseLong(field(tar, off + 124, 11), 8);
            char type = (char) tar[off + 156];
            String link = field(tar, off + 157, 100);
            String body = new String(tar, off + 512, (int) size, java.nio.charset.StandardCharsets.UTF_8);
            off += 512 + (int) ((size + 511) / 512 * 512);
            if (type == 'x') {
                paxPath = body.substring(body.indexOf("path=") + 5, body.length() - 1);
                continue;
            }
            out.put(paxPath != null ? paxPath : name, type + ":" + (type == '2' ? link : body));
            paxPath = null;
        }
        return out;
    }

    private static String field(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    @Test
    void copyDirCopiesItsContents() throws IOException {
        write("dir/a.txt", "a");
        write("dir/sub/b.txt", "b");
        write("top.txt", "t");
        BuildContext c = BuildContext.walk(ctx);
        Map<String, String> t = targets(CopySources.plan(c, List.of("dir/"), "/x/", List.of()));
        assertEquals(Map.of("/x", "dir", "/x/a.txt", "dir/a.txt", "/x/sub", "dir/sub", "/x/sub/b.txt", "dir/sub/b.txt"), t,
                "COPY dir/ /x/ puts dir's contents in /x, not /x/dir");
        assertEquals(t, targets(CopySources.plan(c, List.of("dir"), "/x", List.of())), "trailing slashes do not matter for a directory");
        assertEquals(Map.of("/x/top.txt", "top.txt"), targets(CopySources.plan(c, List.of("top.txt"), "/x/", List.of())));
        assertEquals(Map.of("/x", "top.txt"), targets(CopySources.plan(c, List.of("top.txt"), "/x", List.of())));
        assertEquals(Map.of("/x/top.txt", "top.txt", "/x/a.txt", "dir/a.txt"),
                targets(CopySources.plan(c, List.of("top.txt", "dir/a.txt"), "/x/", List.of())));
        assertEquals(Map.of("/d/a.txt", "dir/a.txt"), targets(CopySources.plan(c, List.of("dir/*.txt"), "/d/", List.of())));
        assertEquals(Map.of("/x", "dir", "/x/a.txt", "dir/a.txt", "/x/sub", "dir/sub"),
                targets(CopySources.plan(c, List.of("dir"), "/x/", List.of("sub/*.txt"))), "--exclude");
        assertTrue(targets(CopySources.plan(c, List.of("."), "/app/", List.of())).containsKey("/app/dir/sub/b.txt"));
    }

    @Test
    void copyErrors() throws IOException {
        write("a", "a");
        write("b", "b");
        BuildContext c = BuildContext.walk(ctx);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CopySources.plan(c, List.of("a", "b"), "/x", List.of()))
                .getMessage().contains("must be a directory and end with a /"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CopySources.plan(c, List.of("missing"), "/x", List.of()))
                .getMessage().contains("not found in the build context"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CopySources.plan(c, List.of("../etc/passwd"), "/x", List.of()))
                .getMessage().contains("outside the build context"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CopySources.plan(c, List.of("*.nothing"), "/x/", List.of()))
                .getMessage().contains("matches nothing"));
    }

    @Test
    void digestOfSelectionIgnoresOrder() throws IOException {
        write("a", "a");
        write("b", "b");
        BuildContext c = BuildContext.walk(ctx);
        List<BuildContext.Entry> ab = List.of(c.entries().get("a"), c.entries().get("b"));
        List<BuildContext.Entry> ba = List.of(c.entries().get("b"), c.entries().get("a"));
        assertEquals(BuildContext.digestOf(ab), BuildContext.digestOf(ba));
        assertNotEquals(BuildContext.digestOf(ab), BuildContext.digestOf(List.of(c.entries().get("a"))));
    }
}
