package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.controller.host.TestProgram;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
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
 * Attaching volumes with real QEMU (TCG): Kestrel finds each disk by its serial and mounts it at
 * mountPath before the workload starts; data written there survives a SIGKILL of QEMU and the
 * VM's re-creation, the image is clean after a stop, a second writer gets VolumeInUse and does not
 * boot, a read-only mount refuses writes; a new volume is first filled with the image's files
 * (owners, modes, links, xattrs) unless copyFromImage is false, and never again once emptied;
 * a mount that cannot be made ends the VM with VolumeMountFailed before the workload runs.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VolumeAttachIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final Duration BOOT = Duration.ofSeconds(180);

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
            for (String vm : new String[] {"writer", "second", "copier", "broken"}) {
                hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found", "--timeout=60s");
            }
            hyprd.close();
        }
    }

    @Test
    void dataSurvivesAKilledVmmAndRecreationAndASecondWriterWaits() throws Exception {
        apply(VolumeIT.volume("data", 64));
        apply(vm("writer", ROOTFS, "  - {name: data, volumeRef: data, mountPath: /data/deep}\n"));
        JsonNode vm = awaitVm("writer", VolumeAttachIT::ready, BOOT);

        // mounted by Kestrel before the workload started: no mount by hand; the path was created
        assertTrue(sh("writer", "cat /proc/mounts").lines().anyMatch(l -> l.matches("/dev/vd[b-z] /data/deep ext4 rw,.*")),
                sh("writer", "cat /proc/mounts"));
        sh("writer", "echo kept > /data/deep/file && sync");
        JsonNode vol = awaitVolume("data", v -> v.path("status").path("attachedTo").toString().contains("writer"));
        assertEquals("[{\"vm\":\"writer\",\"readOnly\":false}]", vol.path("status").path("claims").toString());

        // a second writer is refused, naming the holder, and does not boot
        apply(vm("second", ROOTFS, "  - {name: data, volumeRef: data, mountPath: /data/deep}\n"));
        JsonNode refused = awaitVm("second", v -> "VolumeInUse".equals(VolumeIT.condition(v, "Ready").path("reason").asText()),
                Duration.ofSeconds(60));
        assertEquals("Pending", refused.path("status").path("phase").asText());
        assertTrue(VolumeIT.condition(refused, "Ready").path("message").asText().contains("writer"), refused.toString());
        assertTrue(refused.path("status").path("pid").isMissingNode(), "not booted");
        hyprctl.run("delete", "vm", "second", "--wait", "--timeout=60s");

        // SIGKILL of QEMU: the VM comes back with the data, mounted again
        long pid = vm.path("status").path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitVm("writer", v -> ready(v) && v.path("status").path("pid").asLong() != pid, BOOT);
        assertEquals("kept\n", sh("writer", "cat /data/deep/file"));

        // stopped: the image is a clean filesystem
        Hyprctl.Run deleted = hyprctl.run("delete", "vm", "writer", "--wait", "--timeout=60s");
        assertEquals(0, deleted.exitCode(), deleted.toString());
        VolumeIT.assertClean(hyprd.home().resolve("volumes/data.ext4"));

        // re-created read-only: the data is still there, writes fail in the guest
        apply(vm("writer", ROOTFS, "  - {name: data, volumeRef: data, mountPath: /data/deep, readOnly: true}\n"));
        awaitVm("writer", VolumeAttachIT::ready, BOOT);
        assertEquals("kept\n", sh("writer", "cat /data/deep/file"));
        Hyprctl.Run write = hyprctl.run("exec", "writer", "--", "sh", "-c", "echo x > /data/deep/new");
        assertNotEquals(0, write.exitCode(), write.toString());
        hyprctl.run("delete", "vm", "writer", "--wait", "--timeout=60s");
        VolumeIT.assertClean(hyprd.home().resolve("volumes/data.ext4"));
    }

    @Test
    void aNewVolumeIsFilledFromTheImageOnceAndNocopyStaysEmpty() throws Exception {
        Path rootfs = imageWithSeedFiles();
        apply(VolumeIT.volume("seed", 64));
        apply(VolumeIT.volume("blank", 64));
        String mounts = "  - {name: seed, volumeRef: seed, mountPath: /seed}\n"
                + "  - {name: blank, volumeRef: blank, mountPath: /blank, copyFromImage: false}\n";
        apply(vm("copier", rootfs, mounts));
        awaitVm("copier", VolumeAttachIT::ready, BOOT);

        // the image's files, with their owners, modes, links, in the volume (which is what /seed is now)
        assertTrue(sh("copier", "cat /proc/mounts").contains(" /seed ext4 rw,"), sh("copier", "cat /proc/mounts"));
        assertEquals("1234:5678 640 image-data\n", sh("copier", "echo \"$(stat -c '%u:%g %a' /seed/owned) $(cat /seed/owned)\""));
        assertEquals("4321:4321 750\n0:0 4755\n", sh("copier", "stat -c '%u:%g %a' /seed/dir /seed/dir/tool"));
        assertEquals("owned\n", sh("copier", "readlink /seed/link"));
        String inodes = sh("copier", "stat -c '%i %h' /seed/owned /seed/hard");
        assertEquals(1, inodes.lines().map(l -> l.split(" ")[0]).distinct().count(), "hard links stay one inode: " + inodes);
        assertTrue(inodes.lines().allMatch(l -> l.endsWith(" 2")), inodes);
        assertEquals("lost+found\n", sh("copier", "ls -A /blank"), "copyFromImage: false leaves the volume empty");
        hyprctl.run("delete", "vm", "copier", "--wait", "--timeout=60s");

        Path seed = hyprd.home().resolve("volumes/seed.ext4");
        VolumeIT.assertClean(seed);
        assertTrue(debugfs(seed, "ea_list /owned").contains("user.note") && debugfs(seed, "ea_list /owned").contains("kept"),
                debugfs(seed, "ea_list /owned"));
        assertTrue(debugfs(seed, "stat /").contains("User:  4321"), "the volume's root takes the image dir's owner: "
                + debugfs(seed, "stat /"));

        // emptied by its user: never filled again, across a re-creation and a killed VMM
        apply(vm("copier", rootfs, mounts));
        JsonNode vm = awaitVm("copier", VolumeAttachIT::ready, BOOT);
        sh("copier", "echo mine > /blank/own && rm -rf /seed/owned /seed/hard /seed/link /seed/dir && sync");
        long pid = vm.path("status").path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitVm("copier", v -> ready(v) && v.path("status").path("pid").asLong() != pid, BOOT);
        assertEquals("lost+found\n", sh("copier", "ls -A /seed"));
        assertEquals("lost+found\nown\n", sh("copier", "ls -A /blank"));
    }

    @Test
    void aMountThatCannotBeMadeFailsTheVmBeforeTheWorkloadRuns() throws Exception {
        apply(VolumeIT.volume("bad", 16));
        // /etc/group is a file in the image: a volume cannot be mounted over it
        apply(vm("broken", ROOTFS, "  - {name: bad, volumeRef: bad, mountPath: /etc/group}\n"));
        JsonNode vm = awaitVm("broken", v -> "VolumeMountFailed".equals(VolumeIT.condition(v, "Ready").path("reason").asText()), BOOT);
        assertEquals("Failed", vm.path("status").path("phase").asText(), vm.toString());
        String message = VolumeIT.condition(vm, "Ready").path("message").asText();
        assertTrue(message.contains("hypr-bad on /etc/group: not a directory in the image"), message);
        assertTrue(vm.path("status").path("lastExitCode").isMissingNode(), "the workload never ran: " + vm);
        Hyprctl.Run events = hyprctl.run("get", "events");
        assertTrue(events.stdout().contains("VolumeMountFailed"), events.toString());
    }

    /** The quickstart rootfs plus /seed (owned files, a setuid file, a symlink, a hard link, an xattr) and /blank/x. */
    private static Path imageWithSeedFiles() throws Exception {
        Path root = dir.resolve("seed-rootfs");
        VolumeIT.exec(TestProgram.UNSQUASHFS.program(), "-q", "-d", root.toString(), ROOTFS.toString());
        Path seed = Files.createDirectories(root.resolve("seed"));
        Path owned = Files.writeString(seed.resolve("owned"), "image-data");
        Files.setAttribute(owned, "unix:uid", 1234);
        Files.setAttribute(owned, "unix:gid", 5678);
        Files.setPosixFilePermissions(owned, PosixFilePermissions.fromString("rw-r-----"));
        Files.getFileAttributeView(owned, UserDefinedFileAttributeView.class).write("note", ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        Files.createLink(seed.resolve("hard"), owned);
        Files.createSymbolicLink(seed.resolve("link"), Path.of("owned"));
        Path sub = Files.createDirectories(seed.resolve("dir"));
        Path tool = Files.writeString(sub.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        VolumeIT.exec("chmod", "4755", tool.toString());
        Files.setAttribute(sub, "unix:uid", 4321);
        Files.setAttribute(sub, "unix:gid", 4321);
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setAttribute(seed, "unix:uid", 4321);
        Files.writeString(Files.createDirectories(root.resolve("blank")).resolve("x"), "not copied");
        return root;
    }

    private static String debugfs(Path image, String request) throws Exception {
        return VolumeIT.exec(TestProgram.DEBUGFS.program(), "-R", request, image.toString());
    }

    private static String vm(String name, Path rootfs, String volumes) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\nspec:\n  rootfs: " + rootfs + "\n"
                + "  command: [\"/bin/sh\", \"-c\", \"exec sleep 100000\"]\n  memoryMiB: 128\n  network: none\n"
                + "  volumes:\n" + volumes;
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
        return await("Volume", name, done, Duration.ofSeconds(60));
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
