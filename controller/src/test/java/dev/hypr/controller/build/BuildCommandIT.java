package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyprctl build} end to end against a real hyprd and QEMU: a multi-stage Dockerfile
 * (FROM scratch with busybox, ARG/ENV reaching RUN, COPY --from, USER, WORKDIR, CMD) builds, its
 * image boots as a VM serving HTTP on a published port, a rebuild answers every step from the
 * cache, a failing RUN names its step and exit code, and killing hyprd mid-build leaves no build
 * VM and no temporary file after the restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuildCommandIT {
    static final String DOCKERFILE = String.join("\n",
            "# syntax=docker/dockerfile:1",
            "FROM scratch AS base",
            "COPY rootfs/ /",
            "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
            "",
            "FROM base AS site",
            "ARG GREETING=hi",
            "ENV WHO=hypr",
            "RUN mkdir -p /out && echo \"$GREETING from $WHO\" > /out/index.html && cat /out/index.html && chown www /out",
            "USER www",
            "RUN id -u > /out/uid.txt",
            "",
            "FROM base",
            "COPY --from=site /out/ /www/",
            "WORKDIR /www",
            "EXPOSE 80",
            "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]",
            "");

    @TempDir
    static Path tmp;
    HyprdProcess hyprd;
    Hyprctl hyprctl;
    Path context;

    @BeforeAll
    void start() throws Exception {
        GuestArtifacts.require();
        hyprd = HyprdProcess.start(tmp.resolve("home"), List.of(), Map.of("HYPR_AOT", "0"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
        context = Files.createDirectories(tmp.resolve("ctx"));
        Files.createDirectories(context.resolve("rootfs/bin"));
        Files.createDirectories(context.resolve("rootfs/etc"));
        Files.createDirectories(context.resolve("ignored"));
        Files.copy(Path.of("/bin/busybox"), context.resolve("rootfs/bin/busybox"));
        Files.writeString(context.resolve("rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/www:/bin/false\n");
        Files.writeString(context.resolve("rootfs/etc/group"), "root:x:0:\nwww:x:33:\n");
        Files.writeString(context.resolve("ignored/big.bin"), "not sent");
        Files.writeString(context.resolve(".dockerignore"), "ignored/**\n");
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    }

    @AfterAll
    void stop() throws Exception {
        if (hyprd != null) hyprd.close();
    }

    @Test
    @Order(1)
    void buildsAnImageThatBootsAndServesHttp() throws Exception {
        Hyprctl.Run r = hyprctl.run("build", "-t", "localhost/web:1", "--build-arg", "GREETING=hello", "--progress=plain",
                context.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("hello from hypr"), "ARG and ENV reached RUN, whose output is shown: " + r);
        assertTrue(r.stdout().contains("COPY --from=site /out/ /www/"), r.toString());
        Hyprctl.Run ls = hyprctl.run("images", "ls");
        assertTrue(ls.stdout().contains("localhost/web"), ls.toString());

        int port = BuildExecutionIT.freePort();
        Path vm = tmp.resolve("vm.yaml");
        Files.writeString(vm, String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: VM", "metadata:", "  name: built",
                "spec:", "  image: localhost/web:1", "  memoryMiB: 128", "  network: user", "  ports:", "    - name: http",
                "      hostPort: " + port, "      guestPort: 80", ""));
        Hyprctl.Run apply = hyprctl.run("apply", "-f", vm.toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        String body = null;
        while (body == null && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (page.statusCode() == 200) body = page.body();
            } catch (java.io.IOException e) {
                Thread.sleep(250); // the VM is still booting
            }
        }
        assertEquals("hello from hypr\n", body, "the built image serves the page made in the other stage");
        HttpResponse<String> uid = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uid.txt"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("33\n", uid.body(), "USER www reached the later RUN");
        assertEquals(0, hyprctl.run("delete", "vm", "built").exitCode());
    }

    @Test
    @Order(2)
    void rebuildAnswersEveryStepFromTheCache() throws Exception {
        long started = System.nanoTime();
        Hyprctl.Run r = hyprctl.run("build", "-t", "localhost/web:1", "--build-arg", "GREETING=hello", context.toString());
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, r.exitCode(), r.toString());
        for (String line : r.stdout().split("\n")) {
            if (line.matches(".*\\] (RUN|COPY|WORKDIR) .*")) {
                assertTrue(line.endsWith("CACHED"), "every layer step is cached: " + line + "\n" + r);
            }
        }
        assertTrue(r.stdout().matches("(?s).*built sha256:[0-9a-f]{64} \\((\\d+) steps, \\1 cached\\).*"), r.toString());
        System.out.printf("no-op rebuild through hyprctl: %d ms%n", ms);
    }

    @Test
    @Order(3)
    void failingRunNamesTheStepAndExitCode() throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("Dockerfile"), "FROM localhost/web:1\nUSER root\nRUN echo before; exit 7\n");
        Hyprctl.Run r = hyprctl.run("build", "-t", "localhost/bad:1", bad.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("RUN echo before; exit 7") && r.stderr().contains("exit code 7"), r.toString());
        assertTrue(!hyprctl.run("images", "ls").stdout().contains("localhost/bad"));
        Files.writeString(bad.resolve("Dockerfile"), "FROM scratch\nCOPY missing.txt /\n");
        r = hyprctl.run("build", bad.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("COPY missing.txt /: source \"missing.txt\" not found in the build context"), r.toString());
        Files.writeString(bad.resolve("Dockerfile"), "FROM scratch\nFROBNICATE x\n");
        r = hyprctl.run("build", bad.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("Dockerfile:2"), "the error names the line: " + r);
        assertNoBuildLeftovers();
    }

    @Test
    @Order(4)
    void killingHyprdMidBuildLeavesNoBuildVmAndNoTempFiles() throws Exception {
        Path slow = Files.createDirectories(tmp.resolve("slow"));
        Files.writeString(slow.resolve("Dockerfile"), "FROM localhost/web:1\nRUN sleep 600\n");
        ProcessBuilder pb = new ProcessBuilder(HyprdProcess.root().resolve("bin/hyprctl").toString(), "build", slow.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("slow-build.out").toFile());
        pb.environment().put("HYPR_SOCKET", hyprd.socket().toString());
        Process build = pb.start();
        Path buildTmp = hyprd.home().resolve("cache/build/tmp");
        Optional<Path> marker = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (marker.isEmpty() && System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.walk(buildTmp)) {
                marker = files.filter(p -> p.getFileName().toString().equals(BuildVm.MARKER)).findFirst();
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                // a directory went away while walking
            }
            if (marker.isEmpty()) Thread.sleep(100);
        }
        assertTrue(marker.isPresent(), "a build VM was booted: " + Files.readString(tmp.resolve("slow-build.out")));
        Path runtimeDir = Path.of(Files.readAllLines(marker.get()).get(2));
        Path pidFile = runtimeDir.resolve("vmm.pid");
        long pidDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(pidFile) && System.nanoTime() < pidDeadline) Thread.sleep(100);
        // killed as soon as the VMM wrote its pid: hyprd may not have recorded its start time yet
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(running(pid), "the build VM runs");

        hyprd.kill9();
        build.destroyForcibly();
        hyprd = HyprdProcess.start(tmp.resolve("home"), List.of(), Map.of("HYPR_AOT", "0"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
        long gone = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (running(pid) && System.nanoTime() < gone) Thread.sleep(100);
        assertTrue(!running(pid), "the build VM was killed at restart");
        assertNoBuildLeftovers();
    }

    @Test
    @Order(5)
    void builderPrunePrintsTheSpaceFreed() throws Exception {
        Hyprctl.Run r = hyprctl.run("builder", "prune");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().matches("(?s)Total reclaimed space: [1-9].*"), r.toString());
        try (Stream<Path> layers = Files.list(hyprd.home().resolve("cache/build/layers/sha256"))) {
            assertEquals(0, layers.count());
        }
    }

    /** Alive and not a zombie (killed VMMs are reparented to a PID 1 that may never reap them). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void assertNoBuildLeftovers() throws Exception {
        try (Stream<Path> t = Files.list(hyprd.home().resolve("cache/build/tmp"));
             Stream<Path> vms = Files.list(hyprd.home().resolve("runtime/vms"))) {
            assertEquals(List.of(), t.toList(), "no temporary build files");
            assertEquals(List.of(), vms.filter(p -> p.getFileName().toString().startsWith("build.")).toList(), "no build VM");
        }
    }
}
