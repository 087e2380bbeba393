package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyprctl images pull|ls|inspect|rm} against the real hyprd (PullImage, ListImages,
 * GetImage, DeleteImage) and real docker-registries: one anonymous, one behind Basic auth.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImagesCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST_LINE = Pattern.compile("(?m)^Digest: (sha256:[0-9a-f]{64})$");
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static LocalRegistry privateRegistry;
    static HyprdProcess hyprd;
    static Hyprctl hyprctl;

    @BeforeAll
    static void up() throws Exception {
        registry = new LocalRegistry(Files.createDirectories(dir.resolve("registry"))).start();
        TestImages.pushLayered(Files.createDirectories(dir.resolve("build")), registry, "test/img:v1", "amd64");
        TestImages.pushLarge(Files.createDirectories(dir.resolve("build-big")), registry, "test/big:v1", 24L << 20);
        privateRegistry = LocalRegistry.withBasicAuth(Files.createDirectories(dir.resolve("private")), "hypr", "pw").start();
        TestImages.pushLayered(Files.createDirectories(dir.resolve("build-private")), privateRegistry, "private/img:v1", "amd64");
        hyprd = HyprdProcess.start(dir.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), dir);
    }

    @AfterAll
    static void down() throws Exception {
        if (hyprd != null) {
            hyprd.close();
        }
        for (LocalRegistry r : new LocalRegistry[] {registry, privateRegistry}) {
            if (r != null) {
                r.close();
            }
        }
    }

    private static String digestOf(Hyprctl.Run pull) {
        Matcher m = DIGEST_LINE.matcher(pull.stdout());
        assertTrue(m.find(), pull.toString());
        return m.group(1);
    }

    private static Hyprctl.Run apply(String yaml) throws Exception {
        Hyprctl.Run r = hyprctl.runWithInput(yaml.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    @Test
    void pullShowsEachLayerThenLsInspectAndRmRefusedWhileInUse() throws Exception {
        String ref = registry.host() + "/test/img:v1";
        Hyprctl.Run pull = hyprctl.run("images", "pull", ref, "--progress", "plain");
        assertEquals(0, pull.exitCode(), pull.toString());
        List<String> lines = pull.stdout().lines().toList();
        assertEquals("Pulling " + ref + " (linux/amd64)", lines.get(0));
        String digest = digestOf(pull);
        assertEquals("Digest: " + digest, lines.get(lines.size() - 1), "the digest comes last");
        assertEquals("Status: Downloaded newer image for " + ref, lines.get(lines.size() - 2));

        JsonNode info = JSON.readTree(hyprctl.run("images", "inspect", ref, "-o", "json").stdout());
        assertEquals(digest, info.path("digest").asText());
        assertEquals(2, info.path("layers").size());
        for (JsonNode layer : info.path("layers")) {
            String shortHex = layer.path("digest").asText().substring(7, 19);
            assertTrue(lines.contains(shortHex + ": Pull complete"), "a line per layer:\n" + pull.stdout());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(shortHex + ": Download") || l.equals(shortHex + ": Already exists")),
                    pull.stdout());
        }
        assertEquals("/bin/sh", info.path("config").path("entrypoint").get(0).asText());
        assertEquals(ref, info.path("refs").get(0).path("ref").asText());
        assertTrue(Files.isRegularFile(Path.of(info.path("rootfs").asText())));
        assertEquals(digest, JSON.readTree(hyprctl.run("images", "inspect", digest.substring(7, 19), "-o", "json").stdout())
                .path("digest").asText(), "a digest prefix names the image too");
        assertEquals(0, JSON.readTree(hyprctl.run("get", "images", "-o", "json").stdout()).path("items").size(),
                "images pull creates no Image object");

        Hyprctl.Run again = hyprctl.run("images", "pull", ref, "--progress", "plain");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.stdout().contains("Status: Image is up to date for " + ref), again.stdout());

        Hyprctl.Run ls = hyprctl.run("images", "ls");
        assertEquals(0, ls.exitCode(), ls.toString());
        assertTrue(ls.stdout().lines().anyMatch(l -> l.startsWith(ref + " ") && l.contains(digest.substring(7, 19))), ls.stdout());

        // In use by a VM (even a stopped one) and by an Image object: refused, naming both.
        apply(String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: VM", "metadata:", "  name: holder", "spec:",
                "  image: " + ref, "  memoryMiB: 128", "  network: none", "  running: false", ""));
        apply(String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: Image", "metadata:", "  name: keeper", "spec:",
                "  ref: " + ref, ""));
        Hyprctl.Run refused = hyprctl.run("images", "rm", ref);
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("is in use by ") && refused.stderr().contains("vm/holder")
                && refused.stderr().contains("image/keeper"), refused.stderr());
        assertTrue(hyprctl.run("images", "ls", "-o", "json").stdout().contains("\"vm/holder\""));
        assertTrue(Files.isDirectory(hyprd.home().resolve("images").resolve(digest.substring(7))));

        assertEquals(0, hyprctl.run("delete", "vm", "holder", "--wait").exitCode());
        assertEquals(0, hyprctl.run("delete", "image", "keeper", "--wait").exitCode());
        Hyprctl.Run rm = hyprctl.run("images", "rm", ref);
        assertEquals(0, rm.exitCode(), rm.toString());
        assertTrue(rm.stdout().contains("Untagged: " + ref + " (linux/amd64)"), rm.stdout());
        assertTrue(rm.stdout().contains("Deleted: " + digest), rm.stdout());
        assertFalse(Files.exists(hyprd.home().resolve("images").resolve(digest.substring(7))), "image directory deleted");
        String others = hyprctl.run("images", "ls", "-o", "json").stdout();
        for (JsonNode layer : info.path("layers")) {
            String layerDigest = layer.path("digest").asText();
            if (!others.contains(layerDigest)) { // unless another image shares it
                assertFalse(Files.exists(hyprd.home().resolve("images/blobs/sha256").resolve(layerDigest.substring(7))),
                        "its layer blobs went with it");
            }
        }
        assertFalse(hyprctl.run("images", "ls").stdout().contains(ref));
        Hyprctl.Run gone = hyprctl.run("images", "inspect", ref);
        assertEquals(1, gone.exitCode());
        assertTrue(gone.stderr().contains("no image " + ref), gone.stderr());
    }

    @Test
    void concurrentPullsOfOneReferenceBothSucceedWithOneStoreEntry() throws Exception {
        String ref = registry.host() + "/test/big:v1";
        List<CompletableFuture<Hyprctl.Run>> pulls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pulls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return hyprctl.run("images", "pull", ref, "--progress", "plain");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Hyprctl.Run a = pulls.get(0).join();
        Hyprctl.Run b = pulls.get(1).join();
        assertEquals(0, a.exitCode(), a.toString());
        assertEquals(0, b.exitCode(), b.toString());
        String digest = digestOf(a);
        assertEquals(digest, digestOf(b));

        JsonNode list = JSON.readTree(hyprctl.run("images", "ls", "-o", "json").stdout()).path("items");
        int entries = 0;
        for (JsonNode img : list) {
            for (JsonNode r : img.path("refs")) {
                if (r.path("ref").asText().equals(ref)) {
                    entries++;
                    assertEquals(digest, img.path("digest").asText());
                }
            }
        }
        assertEquals(1, entries, list.toString());
        ImageStore store = new ImageStore(hyprd.home().resolve("images"));
        assertTrue(store.byDigest(dev.hypr.controller.image.ref.Digest.parse(digest)).isPresent());
        StoreChecks.assertTempEmpty(store);
        StoreChecks.assertBlobsMatchNames(store);
    }

    @Test
    void registryFailuresExitOneWithTheReasonAndStoreNothing() throws Exception {
        Hyprctl.Run unknown = hyprctl.run("images", "pull", registry.host() + "/test/img:nope", "--progress", "plain");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.stderr().contains("failed: ManifestUnknown: "), unknown.stderr());

        String privateRef = privateRegistry.host() + "/private/img:v1";
        Hyprctl.Run denied = hyprctl.run("images", "pull", privateRef, "--progress", "plain");
        assertEquals(1, denied.exitCode(), denied.toString());
        assertTrue(denied.stderr().contains("failed: Unauthorized: "), denied.stderr());
        assertTrue(denied.stderr().contains("hyprctl login " + privateRegistry.host()), denied.stderr());
        assertFalse(hyprctl.run("images", "ls").stdout().contains(privateRegistry.host()));

        Hyprctl.Run invalid = hyprctl.run("images", "pull", "Not A Ref");
        assertEquals(1, invalid.exitCode(), invalid.toString());
        assertTrue(invalid.stderr().contains("invalid image reference"), invalid.stderr());

        // With credentials stored through the daemon, the same pull succeeds.
        Hyprctl.Run login = hyprctl.runWithInput("pw\n".getBytes(StandardCharsets.UTF_8), "login", privateRegistry.host(),
                "-u", "hypr", "--password-stdin");
        assertEquals(0, login.exitCode(), login.toString());
        Hyprctl.Run pulled = hyprctl.run("images", "pull", privateRef, "--progress", "plain");
        assertEquals(0, pulled.exitCode(), pulled.toString());
    }
}
