package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Volume controller in the real hyprd with the real e2fsprogs: a 1 GiB volume is a sparse,
 * clean ext4 image; growing runs resize2fs; shrinking is refused; deletion waits for the VMs
 * that name it; prune deletes only unused volumes. The VMs here never boot (running: false):
 * they only name volumes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumeIT {
    private static final Duration SHORT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static HyprdProcess hyprd;
    static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        hyprd = HyprdProcess.start(dir.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            hyprd.close();
        }
    }

    @Test
    @Order(1)
    void createdSparseCleanAndPrivate() throws Exception {
        long t0 = System.nanoTime();
        apply(volume("data", 1024));
        JsonNode vol = await("data", VolumeIT::ready, SHORT);
        System.out.printf("apply -> Ready (1 GiB): %d ms, allocated %d bytes%n", (System.nanoTime() - t0) / 1_000_000,
                vol.path("status").path("allocatedBytes").asLong());
        Path image = hyprd.home().resolve("volumes/data.ext4");
        assertEquals(image.toString(), vol.path("status").path("path").asText());
        assertEquals("Ready", vol.path("status").path("phase").asText());
        assertEquals(1024, vol.path("status").path("sizeMiB").asLong());
        assertEquals(1024L * 1024 * 1024, Files.size(image));
        long allocated = vol.path("status").path("allocatedBytes").asLong();
        assertTrue(allocated > 0 && allocated < 16L * 1024 * 1024, "allocated " + allocated);
        assertEquals(allocated, Long.parseLong(exec("stat", "-c", "%b", image.toString()).strip()) * 512);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(image)));
        assertEquals(262144, blockCount(image), "4 KiB blocks of 1 GiB");
        assertClean(image);
        assertEquals(1, Files.list(image.getParent()).count(), "no temporary file left");

        Hyprctl.Run wide = hyprctl.run("get", "volumes", "-o", "wide");
        assertEquals(0, wide.exitCode(), wide.toString());
        assertTrue(wide.stdout().lines().findFirst().orElse("").matches(
                "NAME\\s+SIZE\\s+ATTACHED-TO\\s+READY\\s+AGE\\s+ALLOCATED\\s+FORMAT\\s+PATH\\s*"), wide.toString());
        assertTrue(wide.stdout().contains("1024Mi") && wide.stdout().contains("True"), wide.toString());
    }

    @Test
    @Order(2)
    void growRunsResize2fsAndShrinkIsRefused() throws Exception {
        Path image = hyprd.home().resolve("volumes/data.ext4");
        apply(volume("data", 2048));
        await("data", v -> v.path("status").path("sizeMiB").asLong() == 2048 && ready(v), SHORT);
        assertEquals(524288, blockCount(image), "the filesystem grew, not only the file");
        assertEquals(2048L * 1024 * 1024, Files.size(image));
        assertClean(image);

        Path smaller = dir.resolve("data-small.yaml");
        Files.writeString(smaller, volume("data", 512));
        Hyprctl.Run shrink = hyprctl.run("apply", "-f", smaller.toString());
        assertEquals(1, shrink.exitCode(), shrink.toString());
        assertTrue(shrink.stderr().contains(smaller + ":") && shrink.stderr().contains("Volume/data")
                && shrink.stderr().contains("cannot shrink volume from 2048 MiB to 512 MiB"), shrink.toString());
        assertEquals(2048, get("data").orElseThrow().path("spec").path("sizeMiB").asLong(), "spec unchanged");
        assertEquals(524288, blockCount(image));
    }

    @Test
    @Order(3)
    void pruneDeletesOnlyUnusedVolumes() throws Exception {
        apply(volume("spare", 64));
        apply(vm("user1", "data"));
        await("spare", VolumeIT::ready, SHORT);
        Path spare = hyprd.home().resolve("volumes/spare.ext4");
        assertTrue(Files.exists(spare));

        Hyprctl.Run unconfirmed = hyprctl.runWithInput("y\n".getBytes(StandardCharsets.UTF_8), "volumes", "prune");
        assertEquals(1, unconfirmed.exitCode(), unconfirmed.toString());
        assertTrue(unconfirmed.stderr().contains("-f"), unconfirmed.toString());
        assertTrue(get("spare").isPresent(), "nothing deleted without confirmation");

        Hyprctl.Run prune = hyprctl.run("volumes", "prune", "-f");
        assertEquals(0, prune.exitCode(), prune.toString());
        assertTrue(prune.stdout().startsWith("Deleted Volumes:\nspare\n\nTotal reclaimed space: "), prune.toString());
        assertFalse(prune.stdout().contains("data"), prune.toString());
        awaitGone("spare");
        assertFalse(Files.exists(spare), "image removed");
        assertTrue(get("data").isPresent() && Files.exists(hyprd.home().resolve("volumes/data.ext4")));
    }

    @Test
    @Order(4)
    void deletionWaitsForTheVmsThatNameIt() throws Exception {
        Path image = hyprd.home().resolve("volumes/data.ext4");
        Hyprctl.Run delete = hyprctl.run("delete", "volume", "data");
        assertEquals(0, delete.exitCode(), delete.toString());
        JsonNode held = await("data", v -> "InUse".equals(condition(v, "Ready").path("reason").asText()), SHORT);
        assertTrue(condition(held, "Ready").path("message").asText().contains("user1"), held.toString());
        assertEquals("Terminating", held.path("status").path("phase").asText());
        assertTrue(Files.exists(image), "kept while user1 names it");

        Hyprctl.Run vmGone = hyprctl.run("delete", "vm", "user1", "--wait", "--timeout=60s");
        assertEquals(0, vmGone.exitCode(), vmGone.toString());
        awaitGone("data");
        assertFalse(Files.exists(image), "image removed once no VM names it");
    }

    static String volume(String name, long sizeMiB) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: " + name + "\nspec:\n  sizeMiB: " + sizeMiB + "\n";
    }

    static String vm(String name, String volume) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\nspec:\n  running: false\n"
                + "  rootfs: " + HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs") + "\n"
                + "  volumes:\n  - name: data\n    volumeRef: " + volume + "\n    mountPath: /data\n";
    }

    private static void apply(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "obj", ".yaml");
        Files.writeString(f, yaml);
        Hyprctl.Run r = hyprctl.run("apply", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static Optional<JsonNode> get(String name) {
        return hyprd.object("Volume", name);
    }

    private static JsonNode await(String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return hyprd.await("Volume", name, done, timeout);
    }

    private static void awaitGone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (get(name).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "volume/" + name + " still there: " + get(name));
            Thread.sleep(20);
        }
    }

    static boolean ready(JsonNode v) {
        return "True".equals(condition(v, "Ready").path("status").asText());
    }

    static JsonNode condition(JsonNode v, String type) {
        for (JsonNode c : v.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    static long blockCount(Path image) throws Exception {
        for (String line : exec("dumpe2fs", "-h", image.toString()).split("\n")) {
            if (line.startsWith("Block count:")) {
                return Long.parseLong(line.substring("Block count:".length()).strip());
            }
        }
        throw new AssertionError("no block count from dumpe2fs");
    }

    /** e2fsck -fn: read-only, forced; exit 0 only for a clean filesystem. */
    static void assertClean(Path image) throws Exception {
        Process p = new ProcessBuilder("e2fsck", "-fn", image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "e2fsck -fn " + image + ":\n" + out);
    }

    static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
