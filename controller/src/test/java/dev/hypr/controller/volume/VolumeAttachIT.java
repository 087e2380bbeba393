package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaching volumes with real QEMU (TCG): the disk is found in the guest by its serial, data
 * written to it survives a SIGKILL of QEMU and the VM's re-creation, the image is clean after a
 * stop, and a second writer gets VolumeInUse and does not boot. Kestrel does not mount volumes
 * yet (its guest config is changing on another branch), so the guest mounts it through exec.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VolumeAttachIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final Duration BOOT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    static HyprdProcess hyprd;
    static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.exists(HyprdProcess.root().resolve("kernel/out/vmlinux")) && Files.exists(ROOTFS),
                "guest artifacts missing: run scripts/install-deps.sh");
        hyprd = HyprdProcess.start(dir.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            for (String vm : new String[] {"writer", "second"}) {
                hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found", "--timeout=60s");
            }
            hyprd.close();
        }
    }

    @Test
    void dataSurvivesAKilledVmmAndRecreationAndASecondWriterWaits() throws Exception {
        apply(VolumeIT.volume("data", 64));
        apply(vm("writer", false));
        JsonNode vm = awaitVm("writer", VolumeAttachIT::ready, BOOT);

        // found by serial, never by order: the rootfs is vda, the volume the disk whose serial matches
        String dev = guestDevice("writer", "hypr-data");
        sh("writer", "mkdir -p /data && mount -t ext4 /dev/" + dev + " /data && echo kept > /data/file && sync");
        JsonNode vol = awaitVolume("data", v -> v.path("status").path("attachedTo").toString().contains("writer"));
        assertEquals("[{\"vm\":\"writer\",\"readOnly\":false}]", vol.path("status").path("claims").toString());

        // a second writer is refused, naming the holder, and does not boot
        apply(vm("second", false));
        JsonNode refused = awaitVm("second", v -> "VolumeInUse".equals(VolumeIT.condition(v, "Ready").path("reason").asText()),
                Duration.ofSeconds(60));
        assertEquals("Pending", refused.path("status").path("phase").asText());
        assertTrue(VolumeIT.condition(refused, "Ready").path("message").asText().contains("writer"), refused.toString());
        assertTrue(refused.path("status").path("pid").isMissingNode(), "not booted");
        hyprctl.run("delete", "vm", "second", "--wait", "--timeout=60s");

        // SIGKILL of QEMU: the VM comes back with the data
        long pid = vm.path("status").path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitVm("writer", v -> ready(v) && v.path("status").path("pid").asLong() != pid, BOOT);
        dev = guestDevice("writer", "hypr-data");
        assertEquals("kept\n", sh("writer", "mkdir -p /data && mount -t ext4 /dev/" + dev + " /data && cat /data/file"));

        // stopped: the image is a clean filesystem
        Hyprctl.Run deleted = hyprctl.run("delete", "vm", "writer", "--wait", "--timeout=60s");
        assertEquals(0, deleted.exitCode(), deleted.toString());
        VolumeIT.assertClean(hyprd.home().resolve("volumes/data.ext4"));

        // re-created: the data is still there; read-only: writes fail in the guest
        apply(vm("writer", true));
        awaitVm("writer", VolumeAttachIT::ready, BOOT);
        dev = guestDevice("writer", "hypr-data");
        assertEquals("kept\n", sh("writer", "mkdir -p /data && mount -t ext4 -o ro,noload /dev/" + dev + " /data && cat /data/file"));
        Hyprctl.Run write = hyprctl.run("exec", "writer", "--", "sh", "-c", "echo x > /data/new");
        assertNotEquals(0, write.exitCode(), write.toString());
    }

    private static String vm(String name, boolean readOnly) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\nspec:\n  rootfs: " + ROOTFS + "\n"
                + "  command: [\"/bin/sh\", \"-c\", \"exec sleep 100000\"]\n  memoryMiB: 128\n  network: none\n"
                + "  volumes:\n  - name: data\n    volumeRef: data\n    mountPath: /data\n    readOnly: " + readOnly + "\n";
    }

    /** The block device whose virtio serial is {@code serial}. */
    private static String guestDevice(String vm, String serial) throws Exception {
        String out = sh(vm, "for d in /sys/block/vd*; do echo \"$(basename $d) $(cat $d/serial 2>/dev/null)\"; done");
        return out.lines().filter(l -> l.endsWith(" " + serial)).map(l -> l.split(" ")[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no disk with serial " + serial + ":\n" + out));
    }

    private static String sh(String vm, String script) throws Exception {
        Hyprctl.Run r = hyprctl.run("exec", vm, "--", "sh", "-c", script);
        assertEquals(0, r.exitCode(), script + "\n" + r);
        return r.stdout();
    }

    private static void apply(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "obj", ".yaml");
        Files.writeString(f, yaml);
        Hyprctl.Run r = hyprctl.run("apply", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static boolean ready(JsonNode vm) {
        return "True".equals(VolumeIT.condition(vm, "Ready").path("status").asText());
    }

    private static JsonNode awaitVm(String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return await("VM", name, done, timeout);
    }

    private static JsonNode awaitVolume(String name, Predicate<JsonNode> done) throws InterruptedException {
        return await("Volume", name, done, Duration.ofSeconds(30));
    }

    private static JsonNode await(String kind, String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<JsonNode> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            try {
                last = Optional.of(Json.parseObject(hyprd.client().get(GetRequest.newBuilder().setKind(kind).setName(name).build())
                        .getJson()));
            } catch (StatusRuntimeException e) {
                last = Optional.empty();
            }
            if (last.isPresent() && done.test(last.get())) {
                return last.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(kind + "/" + name + " not as expected within " + timeout + ": "
                + last.map(JsonNode::toString).orElse("absent"));
    }
}
