package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.layer.LayerStreams;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import dev.hypr.controller.vm.VmLauncher;
import dev.hypr.controller.vmm.GuestArtifacts;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.HostForward;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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
 * The build executor against real QEMU: a busybox base image is built FROM scratch and tagged,
 * then a two-stage build on it runs RUN steps in build VMs, and its result boots and serves HTTP.
 * Rebuilds show the cache (no VM for a no-op rebuild; one edited file re-runs only the steps
 * from its COPY on); a secret leaves no trace; a failing RUN leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuildExecutionIT {
    static final String BASE = "localhost/busybox:build-it";
    static final String SECRET = "s3cr3t-token-" + System.nanoTime();

    @TempDir
    static Path tmp;
    HyprPaths paths;
    QemuDriver qemu;
    VmLauncher launcher;
    ImageStore store;
    LayerCache cache;
    ImageBuilder builder;
    Path baseContext;
    Path appContext;
    Digest firstImage;

    @BeforeAll
    void setUp() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        paths = new HyprPaths(tmp.resolve("home"), tmp.resolve("hypr.sock"));
        Files.createDirectories(paths.vmsRuntime());
        Files.createDirectories(paths.logs());
        qemu = new QemuDriver(tmp.resolve("qemu-state"));
        launcher = VmLauncher.standalone(new HypervisorSelector(Map.of(HypervisorKind.QEMU, qemu)), paths);
        store = new ImageStore(paths.images());
        SquashfsBuilder squashfs = new SquashfsBuilder(HostProgram.TAR2SQFS.program(), "zstd", SquashfsBuilder.defaultLevel("zstd"));
        cache = new LayerCache(paths.cache().resolve("build"));
        builder = new ImageBuilder(cache, squashfs, new BuildVm.Host(launcher, guest.kernel(), guest.initramfs(), paths::vmRuntimeDir),
                ref -> store.find(ImageReference.parse(ref), Platform.DEFAULT).orElseThrow(() -> new IllegalStateException("no image " + ref)),
                new BuiltImageWriter(store, squashfs));

        baseContext = Files.createDirectories(tmp.resolve("base-context"));
        Files.createDirectories(baseContext.resolve("rootfs/bin"));
        Files.createDirectories(baseContext.resolve("rootfs/etc"));
        Files.copy(Path.of("/bin/busybox"), baseContext.resolve("rootfs/bin/busybox"));
        Files.writeString(baseContext.resolve("rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/www:/bin/false\n");
        Files.writeString(baseContext.resolve("rootfs/etc/group"), "root:x:0:\nwww:x:33:\n");
        appContext = Files.createDirectories(tmp.resolve("app-context"));
        Files.writeString(appContext.resolve("extra.txt"), "first version\n");
    }

    @AfterAll
    void noBuildVmLeft() throws Exception {
        try (Stream<Path> left = Files.list(paths.vmsRuntime())) {
            List<Path> dirs = left.toList();
            for (Path d : dirs) launcher.destroy(d.getFileName().toString(), new VmHandle(d.getFileName().toString(), HypervisorKind.QEMU, d));
            assertEquals(List.of(), dirs, "no build VM runtime directory is left");
        }
    }

    static List<Stage> baseStages() {
        return List.of(new Stage("base", Stage.SCRATCH, List.of(
                new BuildStep.Copy("COPY rootfs/ /", List.of("rootfs/"), "/", Optional.empty(), Optional.empty(), Optional.empty()),
                new BuildStep.Run("RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
                        List.of("/bin/busybox", "--install", "-s", "/bin"), List.of(), List.of()),
                new BuildStep.Run("RUN mkdir -p /tmp /www && chmod 1777 /tmp", List.of("/bin/sh", "-c", "mkdir -p /tmp /www && chmod 1777 /tmp"),
                        List.of(), List.of()))));
    }

    static List<Stage> appStages() {
        return List.of(
                new Stage("builder", BASE, List.of(
                        new BuildStep.Config("ENV GREETING=hello", new BuildStep.Change.Env(Map.of("GREETING", "hello"))),
                        new BuildStep.Run("RUN echo \"$GREETING from $WHO\" > /page.html",
                                List.of("/bin/sh", "-c", "mkdir -p /out && echo \"$GREETING from $WHO\" > /out/index.html && echo building-the-page"),
                                List.of("WHO=builder"), List.of()))),
                new Stage("final", BASE, List.of(
                        new BuildStep.Copy("COPY --from=builder /out/ /www/", List.of("/out/"), "/www/", Optional.empty(),
                                Optional.empty(), Optional.of("builder")),
                        new BuildStep.Workdir("WORKDIR /www", "/www"),
                        new BuildStep.Copy("COPY --chown=www extra.txt .", List.of("extra.txt"), "extra.txt", Optional.of("www"),
                                Optional.of(0640), Optional.empty()),
                        new BuildStep.Run("RUN cp extra.txt copy.txt", List.of("/bin/sh", "-c", "cp extra.txt copy.txt && rm -f /etc/group"),
                                List.of(), List.of()),
                        new BuildStep.Config("EXPOSE 80", new BuildStep.Change.Expose(List.of("80"))),
                        new BuildStep.Config("CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]",
                                new BuildStep.Change.Cmd(List.of("httpd", "-f", "-p", "80", "-h", "/www"))))));
    }

    @Test
    @Order(1)
    void twoStageBuildBootsAndServesHttp() throws Exception {
        builder.build(BuildRequest.of(baseStages(), baseContext, List.of(BASE)), BuildProgress.NONE);
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ImageBuilder.Result result = builder.build(BuildRequest.of(appStages(), appContext, List.of("localhost/app:1")),
                progress(lines, output));
        firstImage = result.image().digest();
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("building-the-page"), "step output is relayed: " + output);
        PulledImage image = store.find(ImageReference.parse("localhost/app:1"), Platform.DEFAULT).orElseThrow();
        assertEquals(firstImage, image.digest());
        assertEquals(List.of("httpd", "-f", "-p", "80", "-h", "/www"), image.config().cmd());
        assertEquals(List.of("80/tcp"), image.config().exposedPorts());
        assertEquals("/www", image.config().workingDir());
        assertTrue(image.config().env().contains("GREETING=hello") == false, "the builder stage's ENV stays in that stage");

        int port = freePort();
        VmHandle vm = qemu.create(new VmLaunchSpec("served", paths.vmRuntimeDir("served"), GuestArtifacts.require().kernel(),
                GuestArtifacts.require().initramfs(), image.rootfs(), List.of(), 1, 256, List.of(),
                new GuestConfig(image.config().cmd(), List.of(), Optional.of("/www"), Optional.empty(), Optional.of("served"),
                        Optional.of(NetworkMode.UserMode.GUEST_CIDR), Optional.of(NetworkMode.UserMode.GATEWAY),
                        List.of(NetworkMode.UserMode.DNS), List.of(), GuestConfig.RestartPolicy.NEVER, List.of()),
                new NetworkMode.UserMode(List.of(HostForward.tcp("127.0.0.1", port, 80)))));
        try {
            qemu.start(vm);
            var agent = dev.hypr.controller.agent.AgentConnection.open(vm.agentSocket(), new dev.hypr.controller.agent.AgentListener() { });
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String page = awaitPage(http, "http://127.0.0.1:" + port + "/index.html");
                assertEquals("hello from builder\n", page, "RUN saw ENV and the build arg; COPY --from took the stage's file");
                assertEquals("first version\n", awaitPage(http, "http://127.0.0.1:" + port + "/copy.txt"));
            } finally {
                agent.close();
            }
        } finally {
            qemu.delete(vm);
        }
    }

    @Test
    @Order(2)
    void noOpRebuildBootsNoVmAndReusesEveryStep() throws Exception {
        int booted = builder.vmsBooted();
        List<String> lines = new ArrayList<>();
        long started = System.nanoTime();
        ImageBuilder.Result again = builder.build(BuildRequest.of(appStages(), appContext, List.of("localhost/app:1")),
                progress(lines, new ByteArrayOutputStream()));
        assertEquals(booted, builder.vmsBooted(), "a cached rebuild boots no VM");
        assertEquals(again.steps(), again.cached(), "every layer step came from the cache: " + lines);
        assertEquals(firstImage, again.image().digest(), "the same image");
        System.out.printf("no-op rebuild: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    @Order(3)
    void editingOneCopiedFileRerunsOnlyTheStepsFromThatCopy() throws Exception {
        Files.writeString(appContext.resolve("extra.txt"), "second version\n");
        int booted = builder.vmsBooted();
        List<String> lines = new ArrayList<>();
        ImageBuilder.Result r = builder.build(BuildRequest.of(appStages(), appContext, List.of("localhost/app:2")),
                progress(lines, new ByteArrayOutputStream()));
        assertEquals(booted + 1, builder.vmsBooted(), "only the RUN after the edited COPY ran: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("COPY --from=builder") && l.endsWith("CACHED")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("RUN echo") && l.endsWith("CACHED")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("COPY --chown=www extra.txt") && !l.endsWith("CACHED")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("RUN cp extra.txt") && !l.endsWith("CACHED")), lines.toString());
        assertNotEquals(firstImage, r.image().digest());
        String tree = layerText(r.image());
        assertTrue(tree.contains("second version"), "the new content is in a layer");
        assertTrue(tree.contains("etc/.wh.group"), "a deleted base file is a whiteout in the RUN's layer");
    }

    @Test
    @Order(4)
    void secretMountLeavesNoTraceInAnyLayer() throws Exception {
        List<Stage> stages = List.of(new Stage("s", BASE, List.of(new BuildStep.Run("RUN --mount=type=secret,id=token use-it",
                List.of("/bin/sh", "-c", "test \"$(wc -c < /run/secrets/token)\" -eq " + SECRET.length() + " && echo ok > /used"),
                List.of(), List.of("token")))));
        ImageBuilder.Result r = builder.build(BuildRequest.of(stages, appContext, List.of("localhost/secret:1"))
                .withSecrets(Map.of("token", SECRET.getBytes(StandardCharsets.UTF_8))), BuildProgress.NONE);
        String layers = layerText(r.image());
        assertTrue(layers.contains("used"), "the step ran with the secret present");
        assertFalse(layers.contains(SECRET), "the secret's value is in no layer");
        assertFalse(layers.contains("secrets/token"), "no /run/secrets file in any layer");
        try (Stream<Path> files = Stream.concat(Files.walk(cache.root()), Files.walk(paths.images()))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(SECRET), "the secret is not in " + f);
            }
        }
    }

    @Test
    @Order(5)
    void failingRunReportsItsExitCodeAndLeavesNothingBehind() throws Exception {
        List<Digest> before = store.images();
        List<Stage> stages = List.of(new Stage("s", BASE, List.of(new BuildStep.Run("RUN exit 3",
                List.of("/bin/sh", "-c", "echo about-to-fail; exit 3"), List.of(), List.of()))));
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> builder.build(BuildRequest.of(stages, appContext, List.of("localhost/fails:1")), BuildProgress.NONE));
        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains("RUN exit 3") && e.getMessage().contains("exit code 3")
                && e.getMessage().contains("about-to-fail"), e.getMessage());
        assertEquals(before, store.images(), "no image written");
        assertTrue(store.find(ImageReference.parse("localhost/fails:1"), Platform.DEFAULT).isEmpty());
        try (Stream<Path> t = Files.list(cache.root().resolve("tmp")); Stream<Path> vms = Files.list(paths.vmsRuntime())) {
            assertEquals(List.of(), t.toList(), "no temporary files");
            assertEquals(List.of(), vms.toList(), "no build VM");
        }
    }

    @Test
    @Order(6)
    void missingCopySourceIsAPreciseError() {
        List<Stage> stages = List.of(new Stage("s", BASE, List.of(new BuildStep.Copy("COPY nope.txt /", List.of("nope.txt"), "/",
                Optional.empty(), Optional.empty(), Optional.empty()))));
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> builder.build(BuildRequest.of(stages, appContext, List.of()), BuildProgress.NONE));
        assertEquals("COPY nope.txt /: source \"nope.txt\" not found in the build context", e.getMessage());
        List<Stage> outside = List.of(new Stage("s", BASE, List.of(new BuildStep.Copy("COPY ../x /", List.of("../base-context"), "/",
                Optional.empty(), Optional.empty(), Optional.empty()))));
        e = assertThrows(BuildFailedException.class,
                () -> builder.build(BuildRequest.of(outside, appContext, List.of()), BuildProgress.NONE));
        assertTrue(e.getMessage().contains("outside the build context"), e.getMessage());
    }

    /** Every layer's tar of an image, names and contents, as one text to search. */
    private String layerText(PulledImage image) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Digest d : image.layers()) {
            try (InputStream in = LayerStreams.openTar(store.blobs().path(d))) {
                sb.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    private static String awaitPage(HttpClient http, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return r.body();
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(200); // polling a server that is still booting
        }
        throw new AssertionError("no page at " + url, last);
    }

    private static BuildProgress progress(List<String> lines, ByteArrayOutputStream out) {
        return new BuildProgress() {
            @Override
            public void line(String text) {
                synchronized (lines) {
                    lines.add(text);
                }
            }

            @Override
            public void output(byte[] data) {
                synchronized (out) {
                    out.writeBytes(data);
                }
            }
        };
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
