package dev.hypr.controller.image.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile layers. Each must be rejected with a message naming the problem, and
 * the directory around the rootfs (holding a decoy "victim" directory that the attacks aim at)
 * must be exactly as it was.
 */
class MaliciousLayerTest {
    @TempDir
    static Path sandbox;

    interface Layer {
        TarBuilder build(String victim) throws IOException;
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
            Arguments.of("dot-dot traversal", (Layer) v -> new TarBuilder().file("../../victim/pwned", "x"), "path traversal"),
            Arguments.of("traversal hidden mid-path", (Layer) v -> new TarBuilder().file("usr/../../victim/pwned", "x"), "path traversal"),
            Arguments.of("write through symlinked parent", (Layer) v -> new TarBuilder().symlink("evil", v).file("evil/pwned", "x"), "goes through symlink"),
            Arguments.of("directory through symlinked parent", (Layer) v -> new TarBuilder().symlink("evil", v).dir("evil/sub"), "goes through symlink"),
            Arguments.of("whiteout through symlink", (Layer) v -> new TarBuilder().symlink("evil", v).file("evil/.wh.secret", ""), "goes through symlink"),
            Arguments.of("opaque whiteout through symlink", (Layer) v -> new TarBuilder().symlink("evil", v).file("evil/.wh..wh..opq", ""), "goes through symlink"),
            Arguments.of("hard link to outside by traversal", (Layer) v -> new TarBuilder().hardlink("pwned", "../victim/secret"), "path traversal"),
            Arguments.of("hard link to absolute host path", (Layer) v -> new TarBuilder().hardlink("pwned", v + "/secret"), "not a regular file already in the rootfs"),
            Arguments.of("hard link through symlinked dir", (Layer) v -> new TarBuilder().symlink("evil", v).hardlink("pwned", "evil/secret"), "goes through symlink"),
            Arguments.of("hard link to a directory", (Layer) v -> new TarBuilder().dir("d").hardlink("pwned", "d"), "not a regular file"),
            Arguments.of("decompression bomb", (Layer) v -> new TarBuilder().bigFile("zeros", 2L << 20), "decompression bomb"),
            Arguments.of("entry-count bomb", (Layer) v -> many(), "more than 1000 entries"),
            Arguments.of("rootfs replaced by a file", (Layer) v -> new TarBuilder().file(".", ""), "cannot replace the rootfs"),
            Arguments.of("whiteout of parent", (Layer) v -> new TarBuilder().file("a/.wh...", ""), "whiteout names no file"));
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
    void rejected(String attack, Layer layer, String expectedMessage) throws Exception {
        Path world = Files.createDirectories(sandbox.resolve(attack.replace(' ', '-')));
        Path victim = Files.createDirectories(world.resolve("victim"));
        Files.writeString(victim.resolve("secret"), "keep me");
        Path root = Files.createDirectories(world.resolve("rootfs"));
        List<String> before = listing(world, root);

        LayerApplier applier = new LayerApplier(root, new RootfsMetadata(), new ExtractionBudget(1 << 20, 1000));
        LayerRejectedException e = assertThrows(LayerRejectedException.class,
                () -> applier.apply(layer.build(victim.toString()).stream(), "1/1"));

        assertTrue(e.getMessage().contains(expectedMessage), attack + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("layer 1/1: entry '"), "names the layer and entry: " + e.getMessage());
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
