package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.hypr.api.grpc.Event;
import dev.hypr.api.grpc.ListEventsRequest;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.net.MissingHostProgramIT;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hostPath volumes over virtiofs with real QEMU (TCG) and virtiofsd: the guest reads the host's
 * files and the host sees the guest's writes; readOnly holds even against a remount in the guest;
 * the other virtio devices (agent serial, net, blk) keep working beside vhost-user-fs; exactly one
 * virtiofsd per share across a QEMU kill and a kill -9 of hyprd; nothing left after delete; and
 * shares that cannot work are conditions, never a VM booted without them.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostPathShareIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Map<String, String> ENV = Map.of("HYPR_AOT", "0");

    @TempDir
    Path dir;

    @BeforeAll
    static void requirements() {
        assumeTrue(Files.exists(HyprdProcess.root().resolve("kernel/out/vmlinux")) && Files.exists(ROOTFS),
                "guest artifacts missing: run scripts/install-deps.sh");
    }

    @Test
    void badPathsAreRefusedAndSharesWorkWithOneVirtiofsdEachUntilDelete() throws Exception {
        Path rw = Files.createDirectories(dir.resolve("rw"));
        Files.writeString(rw.resolve("hello.txt"), "from host\n");
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.writeString(ro.resolve("config"), "read only\n");
        Path made = dir.resolve("made/deep"); // missing: created, as compose does
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", x -> {
            byte[] body = "net ok\n".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        web.start();
        try (HyprdProcess hyprd = HyprdProcess.start(dir.resolve("home"), List.of(), ENV)) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), dir);
            // bad host paths: a condition and an event, nothing booted
            Path file = Files.writeString(dir.resolve("a-file"), "x");
            apply(hyprctl, vm("onfile", ROOTFS, "none", share("data", file, "/data", false)));
            JsonNode onFile = awaitReason(hyprd, "onfile", "HostPathInvalid");
            assertTrue(VolumeIT.condition(onFile, "Ready").path("message").asText()
                    .contains("spec.volumes[data].hostPath: " + file + " is a file"), onFile.toString());
            awaitEvent(hyprd, "onfile", "HostPathInvalid", "is a file");

            Path missing = dir.resolve("missing");
            apply(hyprctl, vm("nocreate", ROOTFS, "none", share("data", missing, "/data", false)
                    + "    createHostPath: false\n"));
            JsonNode noCreate = awaitReason(hyprd, "nocreate", "HostPathInvalid");
            assertTrue(VolumeIT.condition(noCreate, "Ready").path("message").asText().contains("createHostPath is false"),
                    noCreate.toString());
            assertFalse(Files.exists(missing), "not created");
            for (String bad : List.of("onfile", "nocreate")) {
                assertTrue(hyprd.object("VM", bad).orElseThrow().path("status").path("pid").isMissingNode(), bad + " not booted");
                assertEquals(0, hyprctl.run("delete", "vm", bad, "--wait", "--timeout=60s").exitCode());
            }

            apply(hyprctl, VolumeIT.volume("blk", 64));
            apply(hyprctl, vm("share", ROOTFS, "user", "  - name: blk\n    volumeRef: blk\n    mountPath: /blk\n"
                    + share("rw", rw, "/mnt/rw", false) + share("ro", ro, "/mnt/ro", true) + share("made", made, "/mnt/made", false)));
            JsonNode vm = hyprd.await("VM", "share", VolumeIT::ready, BOOT);
            Path runtime = hyprd.home().resolve("runtime/vms/share");

            // the guest reads the host's files, the host sees the guest's writes (owner and mode as written)
            assertEquals("from host\n", sh(hyprctl, "share", "cat /mnt/rw/hello.txt"));
            sh(hyprctl, "share", "umask 022; echo from guest > /mnt/rw/out.txt; mkdir /mnt/rw/sub; echo x > /mnt/made/y");
            assertEquals("from guest\n", Files.readString(rw.resolve("out.txt")));
            PosixFileAttributes out = Files.readAttributes(rw.resolve("out.txt"), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("root", out.owner().getName());
            assertEquals("rw-r--r--", PosixFilePermissions.toString(out.permissions()));
            assertTrue(Files.isDirectory(rw.resolve("sub")));
            assertEquals("x\n", Files.readString(made.resolve("y")));
            // a host edit shows up in the guest
            Files.writeString(rw.resolve("hello.txt"), "edited\n");
            assertEquals("edited\n", awaitGuest(hyprctl, "share", "cat /mnt/rw/hello.txt", "edited\n"));

            // readOnly: mounted read-only in the guest, and read-only on the host side even when root remounts it rw
            assertEquals("read only\n", sh(hyprctl, "share", "cat /mnt/ro/config"));
            assertNotEquals(0, hyprctl.run("exec", "share", "--", "sh", "-c", "echo x > /mnt/ro/new").exitCode());
            hyprctl.run("exec", "share", "--", "sh", "-c", "mount -o remount,rw /mnt/ro");
            assertNotEquals(0, hyprctl.run("exec", "share", "--", "sh", "-c", "echo x > /mnt/ro/new2").exitCode());
            assertFalse(Files.exists(ro.resolve("new")) || Files.exists(ro.resolve("new2")), "the host directory stayed unchanged");

            // the other virtio devices under modern virtio-mmio: agent (this exec), blk by serial, net to the host
            assertTrue(sh(hyprctl, "share", "cat /sys/block/vd*/serial").contains("hypr-blk"));
            assertEquals("net ok\n", sh(hyprctl, "share", "wget -qO- http://10.0.2.2:" + web.getAddress().getPort() + "/"));

            // one virtiofsd per share, its socket owner-only
            Map<Integer, List<Long>> daemons = virtiofsds(runtime);
            assertEquals(Set.of(0, 1, 2), daemons.keySet(), daemons.toString());
            daemons.values().forEach(pids -> assertEquals(1, pids.size(), daemons.toString()));
            for (int i = 0; i < 3; i++) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.resolve("virtiofs-" + i + ".sock"))));
            }

            // QEMU killed: the VM comes back with fresh daemons, the old ones gone
            long qemu = vm.path("status").path("pid").asLong();
            ProcessHandle.of(qemu).orElseThrow().destroyForcibly();
            hyprd.await("VM", "share", v -> VolumeIT.ready(v) && v.path("status").path("pid").asLong() != qemu, BOOT);
            Map<Integer, List<Long>> after = virtiofsds(runtime);
            assertEquals(3, after.size(), after.toString());
            after.values().forEach(pids -> assertEquals(1, pids.size(), after.toString()));
            daemons.values().forEach(pids -> assertFalse(alive(pids.get(0)), "virtiofsd of the killed QEMU is gone: " + pids));
            assertEquals("edited\n", sh(hyprctl, "share", "cat /mnt/rw/hello.txt"));

            // kill -9 hyprd: adopted, the very same daemons, still serving
            long qemu2 = hyprd.await("VM", "share", VolumeIT::ready, BOOT).path("status").path("pid").asLong();
            hyprd.kill9();
            hyprd.launch();
            hyprd.await("VM", "share", v -> VolumeIT.ready(v) && v.path("status").path("pid").asLong() == qemu2, BOOT);
            assertEquals(after, virtiofsds(runtime), "adopted, not restarted");
            assertEquals("from guest\n", sh(hyprctl, "share", "cat /mnt/rw/out.txt"));

            // deleted: no virtiofsd, no socket, no runtime directory
            Hyprctl.Run deleted = hyprctl.run("delete", "vm", "share", "--wait", "--timeout=120s");
            assertEquals(0, deleted.exitCode(), deleted.toString());
            assertEquals(Map.of(), virtiofsds(runtime));
            after.values().forEach(pids -> assertFalse(alive(pids.get(0))));
            assertFalse(Files.exists(runtime), "runtime directory removed");
            assertEquals("from guest\n", Files.readString(rw.resolve("out.txt")), "the host directory and its files stay");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void withoutVirtiofsdTheVmIsHostPathUnsupportedAndDoesNotBoot() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("PATH", MissingHostProgramIT.pathWithout(bin, "virtiofsd"));
        try (HyprdProcess hyprd = HyprdProcess.start(dir.resolve("home"), List.of(), env)) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), dir);
            apply(hyprctl, vm("nodaemon", ROOTFS, "none", share("data", dir.resolve("data"), "/data", false)));
            JsonNode refused = awaitReason(hyprd, "nodaemon", "HostPathUnsupported");
            assertTrue(VolumeIT.condition(refused, "Ready").path("message").asText()
                    .contains("virtiofsd not found (install qemu-system-common)"), refused.toString());
            awaitEvent(hyprd, "nodaemon", "HostPathUnsupported", "virtiofsd not found");
            assertTrue(refused.path("status").path("pid").isMissingNode(), "not booted: " + refused);

            assertEquals(0, hyprctl.run("delete", "vm", "nodaemon", "--wait", "--timeout=60s").exitCode());
        }
    }

    static String vm(String name, Path rootfs, String network, String volumes) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\nspec:\n  rootfs: " + rootfs + "\n"
                + "  command: [\"/bin/sh\", \"-c\", \"exec sleep 100000\"]\n  memoryMiB: 128\n  network: " + network + "\n"
                + "  volumes:\n" + volumes;
    }

    static String share(String name, Path hostPath, String mountPath, boolean readOnly) {
        return "  - name: " + name + "\n    hostPath: " + hostPath + "\n    mountPath: " + mountPath + "\n    readOnly: " + readOnly + "\n";
    }

    /**
     * Live virtiofsd daemons serving this runtime directory, by share index, found by their socket
     * on the command line. A daemon is the process hyprd started; with {@code sandbox=namespace}
     * it forks once into its pid namespace, and that child (same command line, the daemon as its
     * parent) is counted as part of it, so two daemons for one share show as two entries.
     */
    static Map<Integer, List<Long>> virtiofsds(Path runtime) throws Exception {
        Map<Long, Integer> serving = new TreeMap<>();
        java.util.regex.Pattern socket = java.util.regex.Pattern.compile("virtiofsd .*--socket-path="
                + java.util.regex.Pattern.quote(runtime.toString()) + "/virtiofs-(\\d+)\\.sock");
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    java.util.regex.Matcher m = socket.matcher(cmdline);
                    if (m.find()) {
                        serving.put(Long.parseLong(p.getFileName().toString()), Integer.parseInt(m.group(1)));
                    }
                } catch (java.io.IOException e) {
                    // exited meanwhile
                }
            }
        }
        Map<Integer, List<Long>> out = new TreeMap<>();
        serving.forEach((pid, share) -> {
            long parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
            if (!share.equals(serving.get(parent))) { // not the sandboxed child of this share's daemon
                out.computeIfAbsent(share, k -> new java.util.ArrayList<>()).add(pid);
            }
        });
        return out;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static JsonNode awaitReason(HyprdProcess hyprd, String vm, String reason) throws InterruptedException {
        return hyprd.await("VM", vm, v -> reason.equals(VolumeIT.condition(v, "Ready").path("reason").asText()), Duration.ofMinutes(2));
    }

    private static void awaitEvent(HyprdProcess hyprd, String vm, String reason, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<Event> events = List.of();
        while (System.nanoTime() < deadline) {
            events = hyprd.client().listEvents(ListEventsRequest.newBuilder().setKind("VM").setName(vm).build()).getEventsList();
            if (events.stream().anyMatch(e -> e.getReason().equals(reason) && e.getMessage().contains(text))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + reason + " event on vm/" + vm + " mentioning " + text + ": "
                + events.stream().map(e -> e.getReason() + ": " + e.getMessage()).collect(Collectors.joining("; ")));
    }

    private static String awaitGuest(Hyprctl hyprctl, String vm, String script, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = sh(hyprctl, vm, script);
            if (last.equals(expected)) {
                return last;
            }
            Thread.sleep(200);
        }
        return last;
    }

    static String sh(Hyprctl hyprctl, String vm, String script) throws Exception {
        Hyprctl.Run r = hyprctl.run("exec", vm, "--", "sh", "-c", script);
        assertEquals(0, r.exitCode(), script + "\n" + r);
        return r.stdout();
    }

    static void apply(Hyprctl hyprctl, String yaml) throws Exception {
        Path f = Files.createTempFile("hostpath-share", ".yaml");
        Files.writeString(f, yaml);
        Hyprctl.Run r = hyprctl.run("apply", "-f", f.toString());
        Files.deleteIfExists(f);
        assertEquals(0, r.exitCode(), r.toString());
    }
}
