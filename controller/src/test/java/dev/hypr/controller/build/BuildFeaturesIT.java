package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hypr.api.build.Dockerfile;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.image.ImageInUseException;
import dev.hypr.controller.image.ImagePruner;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.image.PullPolicy;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.layer.TarReader;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.vm.VmLauncher;
import dev.hypr.controller.vmm.GuestArtifacts;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.HypervisorSelector;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
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
 * Dockerfile features beyond the basics, planned from Dockerfile text and run against real QEMU:
 * cache and bind mounts (virtiofs), COPY --from=IMAGE and FROM by digest, COPY here-documents,
 * ADD of local archives and of a URL served on 127.0.0.1, independent stages running at the same
 * time, WORKDIR owned by USER, and an image prune during a build that must keep the build's base.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuildFeaturesIT {
    static final String BASE = "localhost/busybox:features-it";

    @TempDir
    static Path tmp;
    HyprPaths paths;
    VmLauncher launcher;
    ImageService images;
    LayerCache cache;
    ImageBuilder builder;
    Path context;

    @BeforeAll
    void setUp() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        paths = new HyprPaths(tmp.resolve("home"), tmp.resolve("hypr.sock"));
        Files.createDirectories(paths.vmsRuntime());
        Files.createDirectories(paths.logs());
        launcher = VmLauncher.standalone(new HypervisorSelector(Map.of(HypervisorKind.QEMU, new QemuDriver(tmp.resolve("qemu-state")))), paths);
        images = ImageService.standalone(paths);
        cache = new LayerCache(paths.cache().resolve("build"));
        builder = new ImageBuilder(cache, images.squashfs(), new BuildVm.Host(launcher, guest.kernel(), guest.initramfs(), paths::vmRuntimeDir),
                new ImageBuilder.BaseImages() {
                    @Override
                    public PulledImage ensure(String ref) throws Exception {
                        return images.ensure(ref, ImageService.DEFAULT_PLATFORM, PullPolicy.Never);
                    }

                    @Override
                    public AutoCloseable pin(PulledImage image) throws Exception {
                        return images.pin(image.digest());
                    }
                },
                new BuiltImageWriter(images.store(), images.squashfs()));
        Path base = Files.createDirectories(tmp.resolve("base-context"));
        Files.createDirectories(base.resolve("rootfs/bin"));
        Files.createDirectories(base.resolve("rootfs/etc"));
        Files.copy(Path.of("/bin/busybox"), base.resolve("rootfs/bin/busybox"));
        Files.writeString(base.resolve("rootfs/etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/home/www:/bin/false\n");
        Files.writeString(base.resolve("rootfs/etc/group"), "root:x:0:\nwww:x:33:\n");
        builder.build(BuildRequest.of(BuildExecutionIT.baseStages(), base, List.of(BASE)), BuildProgress.NONE);
        context = Files.createDirectories(tmp.resolve("context"));
    }

    @AfterAll
    void noBuildVmLeft() throws Exception {
        try (Stream<Path> left = Files.list(paths.vmsRuntime())) {
            List<Path> dirs = left.toList();
            for (Path d : dirs) launcher.destroy(d.getFileName().toString(), new VmHandle(d.getFileName().toString(), HypervisorKind.QEMU, d));
            assertEquals(List.of(), dirs, "no build VM runtime directory is left");
        }
    }

    @Test
    @Order(1)
    void cacheMountOutlivesTheBuildAndStaysOutOfTheImage() throws Exception {
        PulledImage first = build("""
                FROM %s
                RUN --mount=type=cache,id=appcache,target=/root/.cache/app,uid=33,gid=33,mode=0750 \\
                    echo first > /root/.cache/app/left && stat -c %%u:%%g:%%a /root/.cache/app > /cache-owner
                """.formatted(BASE), false, new ArrayList<>());
        Map<String, File> tree = tree(first);
        assertEquals("33:33:750\n", tree.get("cache-owner").content(), "the new cache directory has the mount's uid, gid and mode");
        assertTrue(layerNames(first).stream().noneMatch(n -> n.startsWith("root")), "no mount point and no cache file in a layer: "
                + layerNames(first));

        PulledImage second = build("""
                FROM %s
                RUN --mount=type=cache,id=appcache,target=/var/c cat /var/c/left > /seen
                """.formatted(BASE), true, new ArrayList<>());
        assertEquals("first\n", tree(second).get("seen").content(), "a --no-cache build sees what the first build left in the cache");
        assertTrue(layerNames(second).stream().noneMatch(n -> n.startsWith("var/c")), layerNames(second).toString());

        assertTrue(cache.prune() > 0);
        try (Stream<Path> left = Files.list(cache.root().resolve("mounts"))) {
            assertEquals(List.of(), left.toList(), "builder prune empties the cache mounts");
        }
    }

    @Test
    @Order(2)
    void bindMountsShowTheContextAndAStageForOneStepOnly() throws Exception {
        Files.createDirectories(context.resolve("src"));
        Files.writeString(context.resolve("src/a.txt"), "from the context\n");
        String dockerfile = """
                FROM %s AS gen
                RUN mkdir -p /out && echo from-stage > /out/x
                FROM %s
                RUN --mount=type=bind,source=src,target=/mnt/src --mount=type=bind,from=gen,source=/out,target=/mnt/gen \\
                    cat /mnt/src/a.txt /mnt/gen/x > /both
                RUN --mount=type=bind,source=src,target=/mnt/rw,rw echo scribble > /mnt/rw/a.txt && touch /mnt/rw/new \\
                    && cat /mnt/rw/a.txt > /rw-saw
                """.formatted(BASE, BASE);
        PulledImage image = build(dockerfile, false, new ArrayList<>());
        Map<String, File> tree = tree(image);
        assertEquals("from the context\nfrom-stage\n", tree.get("both").content());
        assertEquals("scribble\n", tree.get("rw-saw").content());
        assertEquals("from the context\n", Files.readString(context.resolve("src/a.txt")), "rw writes are discarded");
        assertFalse(Files.exists(context.resolve("src/new")));
        assertTrue(layerNames(image).stream().noneMatch(n -> n.startsWith("mnt")), "no mount point in a layer: " + layerNames(image));

        List<String> lines = new ArrayList<>();
        build(dockerfile, false, lines);
        assertTrue(lines.stream().filter(l -> l.contains("RUN ")).allMatch(l -> l.endsWith("CACHED")), lines.toString());
        Files.writeString(context.resolve("src/a.txt"), "edited\n");
        lines.clear();
        PulledImage edited = build(dockerfile, false, lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("target=/mnt/src") && !l.endsWith("CACHED")),
                "what a bind mount shows is part of its step's key: " + lines);
        assertEquals("edited\nfrom-stage\n", tree(edited).get("both").content());
    }

    @Test
    @Order(3)
    void copyFromAnImageFromByDigestAndHeredocs() throws Exception {
        PulledImage base = images.local(BASE).orElseThrow();
        int booted = builder.vmsBooted();
        PulledImage image = build("""
                FROM localhost/busybox@%s
                COPY --from=%s /etc/passwd /from-image/passwd
                COPY <<EOF /etc/motd
                hello heredoc
                EOF
                """.formatted(base.digest(), BASE), false, new ArrayList<>());
        assertEquals(booted, builder.vmsBooted(), "no RUN, no VM");
        Map<String, File> tree = tree(image);
        assertEquals(tree(base).get("etc/passwd").content(), tree.get("from-image/passwd").content());
        assertEquals("hello heredoc\n", tree.get("etc/motd").content());
        assertTrue(tree.containsKey("bin/busybox"), "FROM by digest took the base's layers");
    }

    @Test
    @Order(4)
    void addUnpacksLocalArchivesAndDownloadsUrls() throws Exception {
        writeTar(context.resolve("files.tar.gz"), "gz");
        writeTar(context.resolve("files.tar.bz2"), "bz2");
        writeTar(context.resolve("files.tar.xz"), "xz");
        writeTar(context.resolve("plain.tar"), "");
        try (OutputStream o = new GzipCompressorOutputStream(Files.newOutputStream(context.resolve("not-a-tar.gz")))) {
            o.write("just text\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] tool = "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8);
        Instant modified = Instant.parse("2024-05-06T07:08:09Z");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dl/tool.sh", x -> {
            x.getResponseHeaders().add("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)));
            x.sendResponseHeaders(200, tool.length);
            x.getResponseBody().write(tool);
            x.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/dl/tool.sh";
            String sha = HexFormat.of().formatHex(Digest.sha256().digest(tool));
            PulledImage image = build("""
                    FROM scratch
                    ADD files.tar.gz /gz/
                    ADD files.tar.bz2 /bz2
                    ADD files.tar.xz /xz/
                    ADD plain.tar /plain/
                    ADD not-a-tar.gz /raw/
                    ADD --checksum=sha256:%s %s /tools/
                    """.formatted(sha, url), false, new ArrayList<>());
            Map<String, File> tree = tree(image);
            for (String dir : List.of("gz", "bz2", "xz", "plain")) {
                File f = tree.get(dir + "/inner/file.txt");
                assertEquals("packed " + dir + "\n", f == null ? null : f.content(), dir + ": " + tree.keySet());
                assertEquals(0640, f.mode(), "the archive's mode");
                assertEquals(1000, f.uid(), "the archive's owner");
                assertEquals("file.txt", tree.get(dir + "/inner/link").link());
            }
            assertTrue(tree.containsKey("raw/not-a-tar.gz"), "a compressed file without a tar inside is copied as it is");
            File downloaded = tree.get("tools/tool.sh");
            assertEquals(new String(tool, StandardCharsets.UTF_8), downloaded.content());
            assertEquals(0600, downloaded.mode());
            assertEquals(modified.getEpochSecond(), downloaded.mtime(), "mtime from Last-Modified");

            BuildFailedException wrong = assertThrows(BuildFailedException.class, () -> build("""
                    FROM scratch
                    ADD --checksum=sha256:%s %s /tools/
                    """.formatted("0".repeat(64), url), false, new ArrayList<>()));
            assertTrue(wrong.getMessage().contains("checksum mismatch"), wrong.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Order(5)
    void independentStagesRunAtTheSameTimeAndUnneededOnesNotAtAll() throws Exception {
        // each stage waits (bounded) for the other's file in a shared cache mount: this passes only
        // when both build VMs run at once
        String wait = "i=0; while [ ! -e /r/%s ] && [ $i -lt 1500 ]; do sleep 0.2; i=$((i+1)); done; test -e /r/%s";
        List<String> lines = new ArrayList<>();
        PulledImage image = build("""
                FROM %1$s AS a
                RUN --mount=type=cache,id=rendezvous,target=/r touch /r/a && %2$s && echo a > /a
                FROM %1$s AS b
                RUN --mount=type=cache,id=rendezvous,target=/r touch /r/b && %3$s && echo b > /b
                FROM %1$s AS unused
                RUN exit 9
                FROM %1$s
                COPY --from=a /a /a
                COPY --from=b /b /b
                """.formatted(BASE, wait.formatted("b", "b"), wait.formatted("a", "a")), true, lines);
        Map<String, File> tree = tree(image);
        assertEquals("a\n", tree.get("a").content());
        assertEquals("b\n", tree.get("b").content());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("[unused")), "a stage the target does not need is not built: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[a ")) && lines.stream().anyMatch(l -> l.startsWith("[b ")), lines.toString());
    }

    @Test
    @Order(6)
    void workdirIsCreatedForTheUserAndExistingDirectoriesAreLeftAlone() throws Exception {
        PulledImage image = build("""
                FROM %s
                USER www
                WORKDIR /home/www/app
                USER root
                WORKDIR /tmp
                """.formatted(BASE), false, new ArrayList<>());
        Map<String, File> tree = tree(image);
        for (String dir : List.of("home", "home/www", "home/www/app")) {
            assertEquals(33, tree.get(dir).uid(), dir + " belongs to USER www, as BuildKit makes it");
            assertEquals(33, tree.get(dir).gid(), dir);
            assertEquals(0755, tree.get(dir).mode(), dir);
        }
        assertEquals(01777, tree.get("tmp").mode(), "WORKDIR on an existing directory keeps its mode");
        assertEquals(0, tree.get("tmp").uid());
    }

    @Test
    @Order(7)
    void secretAtATargetPathLeavesNoTrace() throws Exception {
        String secret = "npm-token-" + System.nanoTime();
        List<Stage> stages = DockerfilePlanner.plan(Dockerfile.parse("Dockerfile", """
                FROM %s
                RUN --mount=type=secret,id=npmrc,target=/root/.npmrc test "$(cat /root/.npmrc)" = "%s" && echo used > /used
                """.formatted(BASE, secret.substring(0, 4) + "\"\"" + secret.substring(4))), Map.of(), null, builder.images());
        ImageBuilder.Result r = builder.build(BuildRequest.of(stages, context, List.of())
                .withSecrets(Map.of("npmrc", secret.getBytes(StandardCharsets.UTF_8))), BuildProgress.NONE);
        assertEquals("used\n", tree(r.image()).get("used").content(), "the step read the secret at its target");
        assertTrue(layerNames(r.image()).stream().noneMatch(n -> n.startsWith("root")), "no stub of the target: " + layerNames(r.image()));
        for (Digest d : r.image().layers()) {
            String text = new String(Files.readAllBytes(images.store().blobs().path(d)), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(secret), "the secret is in no layer");
        }
    }

    @Test
    @Order(8)
    void imagePruneDuringABuildKeepsItsBaseImage() throws Exception {
        PulledImage base = images.local(BASE).orElseThrow();
        List<String> events = new ArrayList<>();
        List<ImagePruner.Pruned> pruned = new ArrayList<>();
        Dockerfile df = Dockerfile.parse("Dockerfile", "FROM " + BASE + "\nRUN echo ok > /ok\n");
        List<Stage> stages = DockerfilePlanner.plan(df, Map.of(), null, builder.images());
        ImageBuilder.Result r = builder.build(BuildRequest.of(stages, context, List.of("localhost/pruned:1")).withNoCache(true),
                new BuildProgress() {
                    @Override
                    public void line(String text) {
                        if (!text.contains("RUN echo ok")) return;
                        try { // mid-build, before the RUN's VM boots on the base image's rootfs
                            pruned.add(images.prune(List.of()));
                            images.delete(BASE, null, sel -> List.of());
                            events.add("deleted");
                        } catch (ImageInUseException e) {
                            events.add("refused: " + e.getMessage());
                        } catch (Exception e) {
                            events.add("error: " + e);
                        }
                    }

                    @Override
                    public void output(byte[] data) {
                    }
                });
        assertEquals(1, pruned.size());
        assertTrue(pruned.get(0).removed().stream().noneMatch(d -> d.equals(base.digest().toString())), pruned.get(0).removed().toString());
        assertEquals(1, events.size());
        assertTrue(events.get(0).startsWith("refused: ") && events.get(0).contains("running build"), events.toString());
        assertEquals("ok\n", tree(r.image()).get("ok").content(), "the RUN ran on the base that prune kept");
        assertTrue(images.store().find(ImageReference.parse(BASE), Platform.DEFAULT).isPresent(), "the base is still stored");
        images.delete(BASE, null, sel -> List.of()); // the build is over: nothing holds it now
        assertTrue(images.store().byDigest(base.digest()).isEmpty());
    }

    private PulledImage build(String dockerfile, boolean noCache, List<String> lines) throws Exception {
        List<Stage> stages = DockerfilePlanner.plan(Dockerfile.parse("Dockerfile", dockerfile), Map.of(), null, builder.images());
        BuildRequest request = BuildRequest.of(stages, context, List.of()).withNoCache(noCache);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            return builder.build(request, new BuildProgress() {
                @Override
                public void line(String text) {
                    synchronized (lines) {
                        lines.add(text);
                    }
                }

                @Override
                public void output(byte[] data) {
                    synchronized (output) {
                        output.writeBytes(data);
                    }
                }
            }).image();
        } catch (BuildFailedException e) {
            System.out.println(output.toString(StandardCharsets.UTF_8));
            throw e;
        }
    }

    record File(char type, int mode, long uid, long gid, long mtime, String link, String content) {
    }

    /** The image's merged file tree: name to type, mode, owner, mtime, link and content. */
    private Map<String, File> tree(PulledImage image) throws Exception {
        Path merged = Files.createTempFile(tmp, "merged-", ".tar");
        List<LayerStack.Layer> layers = new ArrayList<>();
        for (Digest d : image.layers()) layers.add(new LayerStack.Layer(d, images.store().blobs().path(d)));
        new LayerStack(layers).mergeToTar(merged);
        Map<String, File> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(merged)) {
            TarReader r = new TarReader(in);
            for (TarReader.Entry e; (e = r.next()) != null; ) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                for (int n; (n = r.read(buf, 0, buf.length)) > 0; ) data.write(buf, 0, n);
                out.put(CopyLayer.stripSlashes(e.name()), new File(e.type(), e.mode() & 07777, e.uid(), e.gid(), e.mtime(), e.linkName(),
                        data.toString(StandardCharsets.UTF_8)));
            }
        } finally {
            Files.delete(merged);
        }
        return out;
    }

    /** Every name in every layer the build added (not the base's). */
    private List<String> layerNames(PulledImage image) throws Exception {
        List<String> out = new ArrayList<>();
        PulledImage base = images.local(BASE).orElseThrow();
        for (Digest d : image.layers()) {
            if (base.layers().contains(d)) continue;
            try (InputStream in = dev.hypr.controller.image.layer.LayerStreams.openTar(images.store().blobs().path(d))) {
                TarReader r = new TarReader(in);
                for (TarReader.Entry e; (e = r.next()) != null; ) out.add(CopyLayer.stripSlashes(e.name()));
            }
        }
        return out;
    }

    /** A tar with inner/file.txt (0640, 1000:1000) and inner/link -> file.txt, compressed as {@code kind} says. */
    private static void writeTar(Path file, String kind) throws Exception {
        OutputStream raw = Files.newOutputStream(file);
        OutputStream o = switch (kind) {
            case "gz" -> new GzipCompressorOutputStream(raw);
            case "bz2" -> new BZip2CompressorOutputStream(raw);
            case "xz" -> new XZCompressorOutputStream(raw);
            default -> raw;
        };
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            byte[] content = ("packed " + (kind.isEmpty() ? "plain" : kind) + "\n").getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry dir = new TarArchiveEntry("inner/");
            dir.setMode(040755);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            TarArchiveEntry f = new TarArchiveEntry("inner/file.txt");
            f.setMode(0100640);
            f.setIds(1000, 1000);
            f.setSize(content.length);
            tar.putArchiveEntry(f);
            tar.write(content);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("inner/link", org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("file.txt");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
    }
}
