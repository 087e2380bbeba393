package dev.hypr.controller.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile layers, run through the streaming merge into a file in the would-be
 * rootfs directory. Each must be rejected with a message naming the layer, the entry and the
 * problem, and the directory around it (holding a decoy "victim" directory that the attacks aim
 * at) must be exactly as it was.
 */
class MaliciousLayerTest {
    @TempDir
    static Path sandbox;

    /** The image's layers, bottom first. */
    interface Layers {
        TarBuilder[] build(String victim) throws IOException;
    }

    static Arguments attack(String name, Layers layers, String expected) {
        return Arguments.of(name, layers, expected);
    }

    static Arguments attack1(String name, Layer layer, String expected) {
        return Arguments.of(name, (Layers) v -> new TarBuilder[] {layer.build(v)}, expected);
    }

    interface Layer {
        TarBuilder build(String victim) throws IOException;
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
            attack1("dot-dot traversal", v -> new TarBuilder().file("../../victim/pwned", "x"), "path traversal"),
            attack1("traversal hidden mid-path", v -> new TarBuilder().file("usr/../../victim/pwned", "x"), "path traversal"),
            attack1("write through symlinked parent", v -> new TarBuilder().symlink("evil", v).file("evil/pwned", "x"), "goes through symlink"),
            attack1("directory through symlinked parent", v -> new TarBuilder().symlink("evil", v).dir("evil/sub"), "goes through symlink"),
            attack1("whiteout through symlink", v -> new TarBuilder().symlink("evil", v).file("evil/.wh.secret", ""), "goes through symlink"),
            attack1("opaque whiteout through symlink", v -> new TarBuilder().symlink("evil", v).file("evil/.wh..wh..opq", ""), "goes through symlink"),
            attack1("hard link to outside by traversal", v -> new TarBuilder().hardlink("pwned", "../victim/secret"), "path traversal"),
            attack1("hard link to absolute host path", v -> new TarBuilder().hardlink("pwned", v + "/secret"), "not a regular file already in the rootfs"),
            attack1("hard link through symlinked dir", v -> new TarBuilder().symlink("evil", v).hardlink("pwned", "evil/secret"), "goes through symlink"),
            attack1("hard link to a directory", v -> new TarBuilder().dir("d").hardlink("pwned", "d"), "not a regular file"),
            attack1("decompression bomb", v -> new TarBuilder().bigFile("zeros", 2L << 20), "decompression bomb"),
            attack1("entry-count bomb", v -> many(), "more than 1000 entries"),
            attack1("rootfs replaced by a file", v -> new TarBuilder().file(".", ""), "cannot replace the rootfs"),
            attack1("whiteout of parent", v -> new TarBuilder().file("a/.wh...", ""), "whiteout names no file"),
            // what only a streamed merge has to think about: the symlink sits in a lower layer
            attack("write through a lower layer's symlink", v -> new TarBuilder[] {new TarBuilder().symlink("evil", v),
                    new TarBuilder().file("evil/pwned", "x")}, "goes through symlink 'evil' -> '/"),
            attack("hard link through a lower layer's symlink", v -> new TarBuilder[] {new TarBuilder().symlink("evil", v),
                    new TarBuilder().hardlink("pwned", "evil/secret")}, "goes through symlink 'evil'"),
            attack("bomb spread over layers", v -> new TarBuilder[] {new TarBuilder().bigFile("a", 600 << 10),
                    new TarBuilder().bigFile("b", 600 << 10)}, "decompression bomb"),
            attack1("PAX header bomb", v -> new TarBuilder().rawPax(pax("comment", 2 << 20)).file("f", ""), "PAX header of"),
            attack1("GNU sparse file", v -> new TarBuilder().entry("sparse", (byte) 'S'), "unsupported tar entry type 'S'"),
            attack1("same path twice in one layer", v -> new TarBuilder().file("f", "1").file("f", "2"), "has this path twice"));
    }

    /** One PAX record of about {@code size} bytes. */
    private static byte[] pax(String key, int size) {
        String body = " " + key + "=" + "x".repeat(size) + "\n";
        int len = body.length() + 7;
        return (String.format("%07d", len) + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static TarBuilder many() throws IOException {
        TarBuilder t = new TarBuilder();
        for (int i = 0; i < 1001; i++) {
            t.file("f" + i, "");
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rejected(String attack, Layers layers, String expectedMessage) throws Exception {
        Path world = Files.createDirectories(sandbox.resolve(attack.replace(' ', '-')));
        Path victim = Files.createDirectories(world.resolve("victim"));
        Files.writeString(victim.resolve("secret"), "keep me");
        Path root = Files.createDirectories(world.resolve("rootfs"));
        List<String> before = listing(world, root);

        LayerMerger merger = new LayerMerger(new ExtractionBudget(1 << 20, 1000));
        List<LayerSource> image = TarBuilder.image(layers.build(victim.toString()));
        LayerRejectedException e;
        try (OutputStream merged = Files.newOutputStream(root.resolve("merged.tar"))) {
            e = assertThrows(LayerRejectedException.class, () -> merger.merge(image, merged));
        }

        assertTrue(e.getMessage().contains(expectedMessage), attack + ": " + e.getMessage());
        assertTrue(e.getMessage().matches("layer \\d/\\d: (entry '.*': )?.*"), "names the layer (and entry): " + e.getMessage());
        assertEquals(before, listing(world, root), attack + " changed something outside the rootfs");
        assertEquals("keep me", Files.readString(victim.resolve("secret")));
    }

    /** Everything under {@code world} except inside the rootfs, with sizes. */
    private static List<String> listing(Path world, Path root) throws IOException {
        try (Stream<Path> all = Files.walk(world)) {
            return all.filter(p -> !p.startsWith(root) || p.equals(root))
                    .map(p -> world.relativize(p) + ":" + (Files.isRegularFile(p) ? p.toFile().length() : -1)).sorted().toList();
        }
    }
}
