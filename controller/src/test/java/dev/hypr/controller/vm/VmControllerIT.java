package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The VM controller against the real thing: one hyprd (bin/hyprd), real QEMU microVMs with
 * Kestrel, and the real bin/hyprctl. The tests share the daemon and the "web" VM, in order,
 * because each TCG boot costs seconds.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmControllerIT {
    private static final Path ROOT = HyprdProcess.root();
    private static final Path ROOTFS = ROOT.resolve("guest/out/quickstart-rootfs.squashfs");
    private static final Duration BOOT = Duration.ofSeconds(60);

    private static Path tmp;
    private static HyprdProcess hyprd;
    private static int webPort;

    @BeforeAll
    static void startHyprd() throws Exception {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
        tmp = Files.createTempDirectory("hypr-vm-it");
        hyprd = HyprdProcess.start(tmp.resolve("home"));
        webPort = freePort();
    }

    @AfterAll
    static void stopHyprd() throws Exception {
        if (hyprd != null) {
            for (String vm : List.of("web", "oneshot", "crashy", "badrootfs", "norootfs", "nokernel", "orphan")) {
                hyprctl("delete", "vm", vm, "--wait", "--ignore-not-found");
            }
            hyprd.close();
        }
        if (tmp != null) {
            try (Stream<Path> all = Files.walk(tmp)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(0)
    void applyBootsToReadyServesHttpAndExecAndLogsWork() throws Exception {
        long t0 = System.nanoTime();
        apply("web", """
                spec:
                  rootfs: %s
                  command: ["/bin/sh", "-c", "echo hello-from-workload; exec /bin/httpd -f -p 80 -h /www"]
                  memoryMiB: 128
                  network: user
                  ports: [{hostIP: 127.0.0.1, hostPort: %d, guestPort: 80}]
                """.formatted(ROOTFS, webPort));
        JsonNode vm = await("web", VmControllerIT::ready, BOOT);
        System.out.printf("apply -> Ready: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("Running", vm.path("status").path("phase").asText());
        assertEquals(0, vm.path("status").path("restartCount").asInt(-1));
        assertEquals(200, httpGet(webPort));

        Run echo = hyprctl("exec", "web", "--", "echo", "hi from exec");
        assertEquals(0, echo.code, echo.err);
        assertEquals("hi from exec\n", echo.out);
        Run seven = hyprctl("exec", "web", "--", "sh", "-c", "echo to-stderr >&2; exit 7");
        assertEquals(7, seven.code);
        assertTrue(seven.err.contains("to-stderr"), seven.err);
        Run stdin = hyprctlWithInput("piped\n", "exec", "-i", "web", "--", "cat");
        assertEquals("piped\n", stdin.out);

        Run logs = hyprctl("logs", "web");
        assertTrue(logs.out.contains("hello-from-workload"), logs.out);
        assertEquals("hello-from-workload\n", hyprctl("logs", "web", "--tail", "1").out);

        String events = hyprctl("get", "events").out;
        assertTrue(events.contains("Booted") && events.contains("Ready"), events);
        assertTrue(hyprctl("describe", "vm", "web").out.contains("Events:"));
        String metrics = metrics();
        assertTrue(metrics.matches("(?s).*hypr_vms\\{phase=\"Running\",?\\} 1\\.0.*"), metrics);
        assertTrue(metrics.matches("(?s).*hypr_vm_boot_seconds_count(\\{\\})? 1\\.0.*"), metrics);
    }

    @Test
    @Order(1)
    void killedVmmIsRestartedAndASecondCrashBacksOff() throws Exception {
        long pid = pid("web");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long t0 = System.nanoTime();
        JsonNode restarted = await("web", vm -> vm.path("status").path("restartCount").asInt() == 1
                && vm.path("status").path("pid").asLong() != pid, Duration.ofSeconds(5));
        long relaunchedMs = (System.nanoTime() - t0) / 1_000_000;
        await("web", VmControllerIT::ready, BOOT);
        System.out.printf("kill -9 VMM -> relaunched: %d ms, Running again: %d ms%n", relaunchedMs,
                (System.nanoTime() - t0) / 1_000_000);
        assertNotEquals(pid, restarted.path("status").path("pid").asLong());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(hyprctl("get", "events").out.contains("VMMExited"));

        // a second crash soon after is a crash loop: hyprd waits (1 s) before rebooting, and says so
        long second = pid("web");
        ProcessHandle.of(second).orElseThrow().destroyForcibly();
        JsonNode backOff = await("web", vm -> "CrashLoopBackOff".equals(readyCondition(vm).path("reason").asText()),
                Duration.ofSeconds(5));
        assertEquals("Pending", backOff.path("status").path("phase").asText());
        await("web", vm -> vm.path("status").path("restartCount").asInt() == 2, Duration.ofSeconds(10));
        await("web", VmControllerIT::ready, BOOT);
        assertTrue(hyprctl("get", "events").out.contains("BackOff"));
    }

    @Test
    @Order(2)
    void kill9OfHyprdAdoptsTheSameVmm() throws Exception {
        long pid = pid("web");
        hyprd.kill9();
        hyprd.launch();
        JsonNode vm = await("web", VmControllerIT::ready, Duration.ofSeconds(20));
        assertEquals(pid, vm.path("status").path("pid").asLong(), "adopted, not rebooted");
        assertEquals(2, vm.path("status").path("restartCount").asInt(), "restarts survive in status");
        assertEquals(1, countVmms("web"), "no duplicate VMM");
        assertEquals(0, hyprctl("exec", "web", "--", "true").code);
        assertTrue(hyprctl("get", "events").out.contains("Adopted"));
    }

    @Test
    @Order(3)
    void runningFalseStopsAndTrueStartsAgain() throws Exception {
        long pid = pid("web");
        patchRunning("web", false);
        JsonNode stopped = await("web", vm -> "Stopped".equals(vm.path("status").path("phase").asText()), Duration.ofSeconds(30));
        assertTrue(stopped.path("status").path("pid").isMissingNode());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(runtimeDir("web").resolve("agent.sock")) && socketAccepts(runtimeDir("web").resolve("agent.sock")),
                "no live agent socket left behind");
        patchRunning("web", true);
        JsonNode again = await("web", VmControllerIT::ready, BOOT);
        assertEquals("Running", again.path("status").path("phase").asText());
    }

    @Test
    @Order(4)
    void kill9OfTheWorkloadIsRestartedByKestrelInTheSameVm() throws Exception {
        await("web", VmControllerIT::ready, BOOT);
        long vmm = pid("web");
        assertEquals(0, hyprctl("exec", "web", "--", "kill", "-9", workloadPid("web", "/bin/httpd")).code);
        JsonNode again = await("web", vm -> ready(vm) && vm.path("status").path("workloadRestarts").asInt() >= 1, BOOT);
        assertEquals(137, again.path("status").path("lastExitCode").asInt(), "128 + SIGKILL");
        assertEquals(vmm, again.path("status").path("pid").asLong(), "the VM lives on; only the workload restarted");
        assertEquals(1, countVmms("web"), "no second VMM");
        assertEquals(200, httpGet(webPort));
    }

    @Test
    @Order(5)
    void kill9OfTheWorkloadWithRestartNeverFailsTheVmAndDeleteCleansUp() throws Exception {
        apply("oneshot", """
                spec:
                  rootfs: %s
                  command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]
                  memoryMiB: 128
                  network: none
                  restartPolicy: Never
                """.formatted(ROOTFS));
        await("oneshot", VmControllerIT::ready, BOOT);
        long vmm = pid("oneshot");
        hyprctl("exec", "oneshot", "--", "kill", "-9", workloadPid("oneshot", "/bin/httpd"));
        JsonNode vm = await("oneshot", v -> "Failed".equals(v.path("status").path("phase").asText()), Duration.ofSeconds(30));
        assertEquals(137, vm.path("status").path("lastExitCode").asInt());
        assertEquals("WorkloadExited", readyCondition(vm).path("reason").asText());
        assertTrue(vm.path("status").path("pid").isMissingNode());
        assertTrue(exits(vmm, Duration.ofSeconds(5)), "no orphan VMM on the host");
        assertEquals(0, countVmms("oneshot"));
        assertEquals(0, hyprctl("delete", "vm", "oneshot", "--wait").code);
        assertFalse(Files.exists(runtimeDir("oneshot")), "no socket or runtime file left");
        assertFalse(Files.exists(hyprd.home().resolve("logs/oneshot.log")));
    }

    @Test
    @Order(6)
    void workloadCrashLoopShowsBackOff() throws Exception {
        apply("crashy", """
                spec:
                  rootfs: %s
                  command: ["/bin/sh", "-c", "echo crashing; exit 1"]
                  memoryMiB: 128
                  network: none
                  restartPolicy: Always
                """.formatted(ROOTFS));
        JsonNode vm = await("crashy", v -> "CrashLoopBackOff".equals(readyCondition(v).path("reason").asText()), BOOT);
        assertEquals("False", readyCondition(vm).path("status").asText());
        assertEquals(1, vm.path("status").path("lastExitCode").asInt());
        assertTrue(hyprctl("logs", "crashy").out.contains("crashing"));
        hyprctl("delete", "vm", "crashy", "--wait");
    }

    @Test
    @Order(7)
    void corruptOrMissingRootfsFailsWithReasonAndNoRetryLoop() throws Exception {
        // a valid squashfs magic passes hyprd's check; the guest kernel refuses the rest
        Path corrupt = tmp.resolve("corrupt.squashfs");
        byte[] garbage = new byte[256 * 1024];
        new java.util.Random(42).nextBytes(garbage);
        System.arraycopy("hsqs".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, 4);
        Files.write(corrupt, garbage);
        apply("badrootfs", """
                spec:
                  rootfs: %s
                  command: ["/bin/true"]
                  memoryMiB: 128
                  network: none
                """.formatted(corrupt));
        JsonNode vm = await("badrootfs", v -> "Failed".equals(v.path("status").path("phase").asText()), BOOT);
        assertEquals("RootfsMountFailed", readyCondition(vm).path("reason").asText(), vm.toString());
        assertTrue(readyCondition(vm).path("message").asText().contains(corrupt.toString()), vm.toString());
        Thread.sleep(3_000);
        vm = get("badrootfs").orElseThrow();
        assertEquals("Failed", vm.path("status").path("phase").asText(), "stays Failed: " + vm);
        assertEquals(0, vm.path("status").path("restartCount").asInt(), "not rebooted: " + vm);
        assertEquals(0, countVmms("badrootfs"));
        String events = hyprctl("events", "vm/badrootfs").out;
        assertTrue(events.contains("RootfsMountFailed"), events);
        assertFalse(events.contains("BackOff") || events.contains("VMMExited"), "no crash loop: " + events);

        apply("norootfs", """
                spec:
                  network: none
                  rootfs: %s
                  command: ["/bin/true"]
                """.formatted(tmp.resolve("missing.squashfs")));
        JsonNode missing = await("norootfs", v -> "Failed".equals(v.path("status").path("phase").asText()), Duration.ofSeconds(20));
        assertEquals("RootfsNotFound", readyCondition(missing).path("reason").asText());
        assertTrue(readyCondition(missing).path("message").asText().contains("missing.squashfs"));

        assertEquals(0, hyprctl("version").code, "hyprd healthy");
        for (String name : List.of("badrootfs", "norootfs")) {
            assertEquals(0, hyprctl("delete", "vm", name, "--wait").code);
            assertFalse(Files.exists(runtimeDir(name)));
        }
    }

    @Test
    @Order(8)
    void missingKernelFailsWithReasonAndNoRetryStorm() throws Exception {
        apply("nokernel", """
                spec:
                  network: none
                  rootfs: %s
                  command: ["/bin/true"]
                  kernel: {path: /nonexistent/vmlinux}
                """.formatted(ROOTFS));
        JsonNode vm = await("nokernel", v -> "Failed".equals(v.path("status").path("phase").asText()), Duration.ofSeconds(20));
        assertEquals("KernelNotFound", readyCondition(vm).path("reason").asText());
        assertTrue(readyCondition(vm).path("message").asText().contains("/nonexistent/vmlinux"));
        Thread.sleep(3_000);
        String events = hyprctl("events", "vm/nokernel").out;
        assertTrue(events.contains("KernelNotFound"), events);
        assertFalse(events.matches("(?s).*\\(x([5-9]|\\d\\d+)\\).*"), "no tight retry loop: " + events);
        hyprctl("delete", "vm", "nokernel", "--wait");
    }

    @Test
    @Order(9)
    void runCreatesAVmAndWaitsForReady() {
        Run run = hyprctl("run", "--rootfs", ROOTFS.toString(), "--name", "orphan", "--memory", "128", "--network", "none", "--",
                "/bin/httpd", "-f", "-p", "80", "-h", "/www");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.contains("is Ready"), run.out);
    }

    @Test
    @Order(10)
    void deleteLeavesNoProcessNoFilesNoObject() throws Exception {
        long pid = pid("web");
        Run del = hyprctl("delete", "vm", "web", "--wait");
        assertEquals(0, del.code, del.err);
        assertTrue(awaitGone("web", Duration.ofSeconds(30)));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(runtimeDir("web")));
        assertFalse(Files.exists(hyprd.home().resolve("logs/web.log")));
    }

    @Test
    @Order(11)
    void orphanVmmIsStoppedAtStart() throws Exception {
        // the store loses the object while hyprd is down (restored backup, wiped database):
        // the VMM it left running must not live on unowned
        long pid = pid("orphan");
        hyprd.kill9();
        try (Stream<Path> files = Files.list(hyprd.home())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("hypr.db")).toList()) {
                Files.delete(f);
            }
        }
        hyprd.launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // the process goes first, its runtime directory right after
        while ((ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || Files.exists(runtimeDir("orphan")))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "orphan VMM stopped");
        assertFalse(Files.exists(runtimeDir("orphan")));
        assertTrue(hyprctl("get", "events").out.contains("OrphanStopped"));
    }

    // --- helpers ---

    private record Run(int code, String out, String err) {
    }

    private static Run hyprctl(String... args) {
        return hyprctlWithInput(null, args);
    }

    private static Run hyprctlWithInput(String input, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/hyprctl").toString()));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(hyprd.clientEnvironment());
            Path out = Files.createTempFile(tmp, "out", ".txt");
            Path err = Files.createTempFile(tmp, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (input != null) {
                try (var in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("hyprctl " + args[0] + " timed out");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void apply(String name, String specYaml) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: " + name + "\n" + specYaml);
        Run r = hyprctl("apply", "-f", file.toString());
        assertEquals(0, r.code, r.err);
    }

    private static void patchRunning(String name, boolean running) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        String yaml = Files.readString(file).replaceAll("\n  running: \\w+", "");
        Files.writeString(file, yaml.replace("\nspec:\n", "\nspec:\n  running: " + running + "\n"));
        Run r = hyprctl("apply", "-f", file.toString());
        assertEquals(0, r.code, r.err);
    }

    private static Optional<JsonNode> get(String name) {
        return hyprd.object("VM", name);
    }

    private static JsonNode await(String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return hyprd.await("VM", name, done, timeout);
    }

    private static boolean awaitGone(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (get(name).isEmpty()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean ready(JsonNode vm) {
        return "True".equals(readyCondition(vm).path("status").asText());
    }

    private static JsonNode readyCondition(JsonNode vm) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return c;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    /** The workload's pid inside the guest, from busybox ps ("PID USER TIME COMMAND"). */
    private static String workloadPid(String vm, String command) {
        Run ps = hyprctl("exec", vm, "--", "ps");
        assertEquals(0, ps.code, ps.err);
        return ps.out.lines().map(String::strip).filter(l -> l.contains(command)).map(l -> l.split("\\s+")[0])
                .findFirst().orElseThrow(() -> new AssertionError("no " + command + " in ps: " + ps.out));
    }

    private static long pid(String name) {
        long pid = get(name).orElseThrow().path("status").path("pid").asLong();
        assertTrue(pid > 0, "vm/" + name + " has a pid");
        return pid;
    }

    private static Path runtimeDir(String name) {
        return hyprd.home().resolve("runtime/vms").resolve(name);
    }

    private static long countVmms(String name) {
        String marker = runtimeDir(name).toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu") && c.contains(marker)).orElse(false))
                .count();
    }

    private static boolean exits(long pid, Duration timeout) throws Exception {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return true;
        }
        try {
            p.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static boolean socketAccepts(Path socket) {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int httpGet(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String metrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/q/metrics", "/metrics")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hyprd.metricsPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return r.body();
            }
        }
        throw new AssertionError("no metrics endpoint on port " + hyprd.metricsPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
