package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user takes: an image built with umoci and pushed with skopeo to a real
 * docker-registry, a VM that names it applied with the real hyprctl to the real hyprd, booted
 * in QEMU from the pulled squashfs with the image's ENTRYPOINT/CMD/ENV.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImageVmIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static HyprdProcess hyprd;
    static Hyprctl hyprctl;

    @BeforeAll
    static void up() throws Exception {
        Path busybox = GuestArtifacts.require().rootfs(); // and the kernel hyprd boots it with
        registry = new LocalRegistry(Files.createDirectories(dir.resolve("registry"))).start();
        TestImages.pushBootable(Files.createDirectories(dir.resolve("build")), registry, "test/app:v1", busybox);
        TestImages.pushWithHealthcheck(Files.createDirectories(dir.resolve("build-hc")), registry, "test/hc:v1", busybox,
                "{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ok || { echo image probe failed; exit 1; }\"],"
                        + "\"Interval\":1000000000,\"Timeout\":10000000000,\"Retries\":1}");
        hyprd = HyprdProcess.start(dir.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), dir);
    }

    @AfterAll
    static void down() throws Exception {
        if (hyprd != null) {
            hyprctl.run("delete", "vm", "app", "ghost", "imagehc", "nohc");
            hyprd.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static String vm(String name, String image) {
        return String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: VM", "metadata:", "  name: " + name, "spec:",
                "  image: " + image, "  memoryMiB: 128", "  network: none", "");
    }

    @Test
    void bootsFromAnImageWithItsDefaultsUpperLayerAndWhiteout() throws Exception {
        String ref = registry.host() + "/test/app:v1";
        Hyprctl.Run pull = hyprctl.run("images", "pull", ref, "--progress", "plain");
        assertEquals(0, pull.exitCode(), pull.toString());
        assertTrue(pull.stdout().matches("(?s).*\nDigest: sha256:[0-9a-f]{64}\n$"), pull.stdout());

        Hyprctl.Run apply = hyprctl.runWithInput(vm("app", ref).getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
        assertEquals(0, apply.exitCode(), apply.toString());
        Hyprctl.Run ready = hyprctl.run("wait", "vm/app", "--for=condition=Ready", "--timeout=100s");
        assertEquals(0, ready.exitCode(), ready + "\n" + hyprctl.run("get", "vm", "app", "-o", "yaml").stdout());

        // Inside the booted VM: the upper layer's file is there, the lower layer's whited-out file is not.
        Hyprctl.Run upper = hyprctl.run("exec", "app", "--", "cat", "/hello.txt");
        assertEquals(0, upper.exitCode(), upper.toString());
        assertEquals("hello from the upper layer\n", upper.stdout());
        // (test is a shell builtin in the busybox image, not a binary)
        Hyprctl.Run whitedOut = hyprctl.run("exec", "app", "--", "sh", "-c", "test -e /removed");
        assertEquals(1, whitedOut.exitCode(), "the whiteout of /removed must hide it: " + whitedOut);
        Hyprctl.Run present = hyprctl.run("exec", "app", "--", "sh", "-c", "test -e /hello.txt");
        assertEquals(0, present.exitCode(), "test -e itself works: " + present);

        // The workload ran the image's ENTRYPOINT/CMD with its ENV (exec does not prove that).
        Path log = hyprd.home().resolve("logs/app.log");
        String console = awaitText(log, s -> s.contains("greeting="), Duration.ofSeconds(30));
        assertTrue(console.contains("greeting=from-image"), "image ENV reaches the workload:\n" + console);

        // The VM booted the image pulled above: one store, shared by PullImage, Image objects and VMs.
        JsonNode info = JSON.readTree(hyprctl.run("images", "inspect", ref, "-o", "json").stdout());
        assertTrue(info.path("usedBy").toString().contains("vm/app"), info.toString());
    }

    @Test
    void aMissingImageLeavesTheVmPendingWithImagePullBackOffAndTheRegistryMessage() throws Exception {
        String ref = registry.host() + "/test/missing:v1";
        assertEquals(0, hyprctl.runWithInput(vm("ghost", ref).getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").exitCode());
        JsonNode status = awaitStatus("ghost", s -> readyReason(s).equals("ImagePullBackOff"), Duration.ofSeconds(60));
        assertEquals("Pending", status.path("phase").asText(), status.toString());
        String message = readyCondition(status).path("message").asText();
        assertTrue(message.contains("test/missing:v1"), message);
        assertTrue(message.toLowerCase().contains("unknown") || message.contains("404"), "the registry's answer: " + message);
        assertFalse(status.has("pid"), "nothing booted");
    }

    @Test
    void imageObjectsKeepAnImagePulledAndFromRmUntilDeletedThenPruneAllFreesIt() throws Exception {
        // The same image as a Docker schema2 manifest: a different manifest digest, the same blobs.
        TestImages.sh(dir, "skopeo copy -q --src-tls-verify=false --dest-tls-verify=false -f v2s2 docker://" + registry.host()
                + "/test/app:v1 docker://" + registry.host() + "/test/tools:v1");
        String ref = registry.host() + "/test/tools:v1";
        String image = String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: Image", "metadata:", "  name: tools", "spec:",
                "  ref: " + ref, "");
        assertEquals(0, hyprctl.runWithInput(image.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").exitCode());
        Hyprctl.Run pulled = hyprctl.run("wait", "image/tools", "--for=condition=Ready", "--timeout=100s");
        assertEquals(0, pulled.exitCode(), pulled.toString());
        Path rootfs = Path.of(imageStatus("tools").path("rootfs").asText());
        assertTrue(Files.isRegularFile(rootfs), rootfs.toString());
        assertTrue(hyprctl.run("images", "ls").stdout().contains(ref));

        // Files gone behind hyprd's back: the Image controller's resync notices and pulls again.
        TestImages.sh(dir, "rm -rf " + rootfs.getParent());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.isRegularFile(rootfs) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertTrue(Files.isRegularFile(rootfs), "re-pulled after its files disappeared");

        // The Image object (and a VM, even a stopped one) hold it: rm is refused, naming them.
        String holder = vm("holder", ref) + "  running: false\n";
        assertEquals(0, hyprctl.runWithInput(holder.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").exitCode());
        Hyprctl.Run refused = hyprctl.run("images", "rm", ref);
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("in use by image/tools, vm/holder"), refused.stderr());
        assertEquals(0, hyprctl.run("delete", "vm", "holder", "--wait").exitCode());
        assertEquals(0, hyprctl.run("delete", "image", "tools", "--wait").exitCode());

        // Still referenced by its tag: a plain prune keeps it; prune --all deletes what nothing uses.
        Hyprctl.Run prune = hyprctl.run("images", "prune");
        assertEquals(0, prune.exitCode(), prune.toString());
        assertTrue(Files.isRegularFile(rootfs), "a plain prune keeps tagged images:\n" + prune.stdout());
        Hyprctl.Run pruneAll = hyprctl.run("images", "prune", "--all");
        assertEquals(0, pruneAll.exitCode(), pruneAll.toString());
        assertTrue(pruneAll.stdout().contains("deleted sha256:" + rootfs.getParent().getFileName()), pruneAll.stdout());
        assertFalse(Files.exists(rootfs.getParent()), "prune --all deleted the unused image");
        assertTrue(pruneAll.stdout().matches("(?s).*freed [1-9][0-9.]* (KiB|MiB).*"), pruneAll.stdout());
    }

    @Test
    void theImagesHealthcheckRunsWhenTheVmDeclaresNoneAndDisableTurnsItOff() throws Exception {
        String ref = registry.host() + "/test/hc:v1";
        String both = vm("imagehc", ref) + "---\n" + vm("nohc", ref) + "  healthcheck: {disable: true}\n";
        Hyprctl.Run apply = hyprctl.runWithInput(both.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
        assertEquals(0, apply.exitCode(), apply.toString());

        // the image's HEALTHCHECK (CMD-SHELL, 1 s interval, 1 retry) runs in the guest and keeps Ready False
        JsonNode failing = awaitStatus("imagehc", s -> "False".equals(condition(s, "Healthy").path("status").asText()),
                Duration.ofSeconds(150));
        assertEquals("Unhealthy", readyReason(failing), failing.toString());
        assertTrue(condition(failing, "Healthy").path("message").asText().contains("image probe failed"), failing.toString());
        assertEquals(0, hyprctl.run("exec", "imagehc", "--", "sh", "-c", ": > /tmp/ok").exitCode());
        Hyprctl.Run healthy = hyprctl.run("wait", "vm/imagehc", "--for=condition=Ready", "--timeout=60s");
        assertEquals(0, healthy.exitCode(), healthy.toString());
        assertEquals("True", condition(awaitStatus("imagehc", s -> true, Duration.ofSeconds(5)), "Healthy").path("status").asText());

        // disable: true: no probe at all, Ready as soon as the workload runs
        JsonNode plain = awaitStatus("nohc", s -> "True".equals(readyCondition(s).path("status").asText()), Duration.ofSeconds(150));
        assertEquals("WorkloadRunning", readyReason(plain), plain.toString());
        assertTrue(condition(plain, "Healthy").isEmpty() && !plain.has("health"), "no health check: " + plain);
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return JSON.createObjectNode();
    }

    private static JsonNode imageStatus(String name) throws Exception {
        return JSON.readTree(hyprctl.run("get", "image", name, "-o", "json").stdout()).path("status");
    }

    private static JsonNode readyCondition(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c;
            }
        }
        return JSON.createObjectNode();
    }

    private static String readyReason(JsonNode status) {
        return readyCondition(status).path("reason").asText();
    }

    private static JsonNode awaitStatus(String vm, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            Hyprctl.Run get = hyprctl.run("get", "vm", vm, "-o", "json");
            status = JSON.readTree(get.stdout()).path("status");
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("vm/" + vm + " status never matched; last: " + status);
    }

    private static String awaitText(Path file, Predicate<String> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            if (done.test(text)) {
                return text;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(file + " never matched; it holds:\n" + text);
    }
}
