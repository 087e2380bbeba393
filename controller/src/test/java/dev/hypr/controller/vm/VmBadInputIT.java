package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The VM rows of issue 10's bad-input table against a real hyprd, real QEMU and the real guest
 * kernel: each ends in a clear answer, never an endless silent Pending.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VmBadInputIT {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static GuestArtifacts guest;
    private static Path tmp;
    private static HyprdProcess hyprd;
    private static Hyprctl hyprctl;

    @BeforeAll
    static void startHyprd() throws Exception {
        guest = GuestArtifacts.require();
        tmp = Files.createTempDirectory("hypr-vm-bad-input-it");
        hyprd = HyprdProcess.start(tmp.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
    }

    @AfterAll
    static void stopHyprd() throws Exception {
        if (hyprd != null) {
            for (String vm : List.of("stopped", "oom", "oomloop", "symlinked")) {
                hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found");
            }
            hyprd.close();
        }
        if (tmp != null) {
            try (Stream<Path> all = Files.walk(tmp)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void cpusAboveTheHostsAreRefusedAtApplyNamingFileObjectAndField() throws Exception {
        int tooMany = Runtime.getRuntime().availableProcessors() + 1;
        Path file = write("greedy", "  rootfs: " + guest.rootfs() + "\n  command: [/bin/sh]\n  cpus: " + tooMany + "\n");
        Hyprctl.Run r = hyprctl.run("apply", "-f", file.toString());
        assertNotEquals(0, r.exitCode(), r.toString());
        // checked by hyprd (it knows the host), which has the object's position, not the field's
        assertTrue(r.stderr().contains(file + ":1:1: VM/greedy: spec.cpus: " + tooMany + " is more than this host has"), r.stderr());
        assertTrue(get("greedy").isEmpty(), "nothing was stored");
    }

    @Test
    void runningFalseIsStoppedNotPending() throws Exception {
        apply("stopped", "  rootfs: " + guest.rootfs() + "\n  command: [/bin/sh]\n  running: false\n");
        JsonNode vm = await("stopped", v -> "Stopped".equals(v.path("status").path("phase").asText()), Duration.ofSeconds(30));
        assertEquals("Stopped", ready(vm).path("reason").asText());
        assertTrue(!vm.path("status").has("pid"), "no VMM: " + vm);
    }

    @Test
    void aGuestThatRunsOutOfMemoryIsReportedAsSuch() throws Exception {
        // mem= makes the kernel use less than the VMM gives it: the out-of-memory panic of too small
        // a memoryMiB, with a memoryMiB the schema accepts. Debian's kernel and its module-laden
        // initramfs do not fit 64 MiB; the minimal kernel (the default where built) does.
        apply("oom", "  rootfs: " + guest.rootfs() + "\n  command: [/bin/httpd, -f]\n  memoryMiB: 128\n"
                + "  restartPolicy: Never\n  kernel:\n    path: " + guest.kernel() + "\n    cmdline: mem=64M\n");
        JsonNode vm = await("oom", v -> "Failed".equals(v.path("status").path("phase").asText()), BOOT);
        JsonNode ready = ready(vm);
        assertEquals("GuestOutOfMemory", ready.path("reason").asText(), vm.toString());
        assertTrue(ready.path("message").asText().contains("Kernel panic - not syncing")
                && ready.path("message").asText().contains("raise spec.memoryMiB"), ready.toString());
        String describe = hyprctl.run("describe", "vm", "oom").stdout();
        assertTrue(describe.contains("GuestOutOfMemory"), describe);

        // with restarts, the back-off between them says why as well (not "the VMM exited unexpectedly")
        apply("oomloop", "  rootfs: " + guest.rootfs() + "\n  command: [/bin/httpd, -f]\n  memoryMiB: 128\n"
                + "  kernel:\n    path: " + guest.kernel() + "\n    cmdline: mem=64M\n");
        JsonNode looping = await("oomloop", v -> "GuestOutOfMemory".equals(ready(v).path("reason").asText()), BOOT);
        assertEquals("Pending", looping.path("status").path("phase").asText());
        assertTrue(ready(looping).path("message").asText().contains("back-off"), looping.toString());
    }

    @Test
    void aDirectoryRootfsWithADanglingSymlinkBoots() throws Exception {
        Path root = tmp.resolve("rootdir");
        Process unpack = new ProcessBuilder("unsquashfs", "-no-progress", "-d", root.toString(), guest.rootfs().toString())
                .redirectErrorStream(true).start();
        String out = new String(unpack.getInputStream().readAllBytes());
        assertEquals(0, unpack.waitFor(), out);
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
        apply("symlinked", "  rootfs: " + root + "\n  command: [/bin/sh, -c, 'ls -l /dangling; exec /bin/httpd -f']\n");
        JsonNode vm = await("symlinked", v -> "True".equals(ready(v).path("status").asText())
                || "True".equals(condition(v, "ReconcileError").path("status").asText()), BOOT);
        assertEquals("Running", vm.path("status").path("phase").asText(), vm.toString());
        assertTrue(condition(vm, "ReconcileError").isMissingNode(), vm.toString());
    }

    private static Path write(String name, String spec) throws Exception {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\nspec:\n" + spec);
        return file;
    }

    private static void apply(String name, String spec) throws Exception {
        Hyprctl.Run r = hyprctl.run("apply", "-f", write(name, spec).toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static Optional<JsonNode> get(String name) {
        return hyprd.object("VM", name);
    }

    private static JsonNode await(String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return hyprd.await("VM", name, done, timeout);
    }

    private static JsonNode ready(JsonNode vm) {
        return condition(vm, "Ready");
    }

    private static JsonNode condition(JsonNode vm, String type) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
