package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ImagePuller;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryException;
import dev.hypr.controller.image.registry.RegistryOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pulls images made by umoci/skopeo from a real docker-registry and checks the squashfs with unsquashfs. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImagePullIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeAll
    static void up() throws Exception {
        registry = new LocalRegistry(Files.createDirectories(dir.resolve("registry"))).start();
        Path work = Files.createDirectories(dir.resolve("build"));
        TestImages.pushLayered(work, registry, "test/img:amd64", "amd64");
        TestImages.pushLayered(work, registry, "test/img:arm64", "arm64");
    }

    @AfterAll
    static void down() throws Exception {
        registry.close();
        pool.shutdownNow();
    }

    private static ImagePuller puller(ImageStore store) {
        return StoreChecks.puller(store, CredentialStore.none(), pool);
    }

    private static ImageReference ref(String tagOrDigest) {
        return ImageReference.parse(registry.host() + "/test/img" + tagOrDigest);
    }

    @Test
    void pullsLayersIntoSquashfsWithWhiteoutsLinksAndOwnership() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("home1/images"));
        PulledImage img = puller(store).pull(ref(":amd64"), Platform.DEFAULT, PullProgress.NONE);

        assertEquals(2, img.layers().size());
        assertEquals(List.of("/bin/sh"), img.config().entrypoint());
        assertEquals(List.of("-c", "echo hi"), img.config().cmd());
        assertTrue(img.config().env().contains("FOO=bar"));
        assertEquals("/srv", img.config().workingDir());
        assertEquals(List.of("80/tcp"), img.config().exposedPorts());
        assertTrue(Files.isRegularFile(store.imageDir(img.digest()).resolve("manifest.json")));

        String listing = run("unsquashfs", "-lln", img.rootfs().toString());
        assertTrue(listing.contains("squashfs-root/etc/upper"), listing);
        assertFalse(listing.contains("etc/gone"), "whited-out file present:\n" + listing);
        assertTrue(listing.matches("(?s).*-rw-r----- 1234/5678 .*squashfs-root/etc/upper\n.*"), "numeric owner and mode kept:\n" + listing);
        assertTrue(listing.contains("squashfs-root/bin/sl -> a"), listing);

        Path out = dir.resolve("unpacked");
        run("unsquashfs", "-d", out.toString(), img.rootfs().toString());
        assertEquals("upper\n", Files.readString(out.resolve("etc/upper")));
        assertEquals("hardlinked\n", Files.readString(out.resolve("bin/b")));
        assertEquals(Files.getAttribute(out.resolve("bin/a"), "unix:ino"), Files.getAttribute(out.resolve("bin/b"), "unix:ino"),
                "hard link kept as one inode");

        // Pulled again: same digest, nothing rebuilt; the store is content-addressed.
        long built = Files.getLastModifiedTime(img.rootfs()).toMillis();
        PulledImage again = puller(store).pull(ref(":amd64"), Platform.DEFAULT, PullProgress.NONE);
        assertEquals(img.digest(), again.digest());
        assertEquals(built, Files.getLastModifiedTime(again.rootfs()).toMillis());
        assertEquals(store.find(ref(":amd64"), Platform.DEFAULT).orElseThrow().digest(), img.digest());
        StoreChecks.assertTempEmpty(store);
    }

    @Test
    void indexSelectsPlatform() throws Exception {
        String accept = "application/vnd.oci.image.manifest.v1+json";
        String amd = TestImages.get(registry, "/v2/test/img/manifests/amd64", accept);
        String arm = TestImages.get(registry, "/v2/test/img/manifests/arm64", accept);
        String index = JSON.writeValueAsString(JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json")
                .set("manifests", JSON.createArrayNode().add(entry(amd, "amd64")).add(entry(arm, "arm64"))));
        TestImages.putManifest(registry, "test/img", "multi", "application/vnd.oci.image.index.v1+json", index);

        ImageStore store = new ImageStore(dir.resolve("home2/images"));
        PulledImage armImage = puller(store).pull(ref(":multi"), Platform.parse("linux/arm64"), PullProgress.NONE);
        assertEquals(Digest.of(arm.getBytes()), armImage.digest());
        assertEquals("arm64\n", run("unsquashfs", "-cat", armImage.rootfs().toString(), "etc/arch"));
        PulledImage amdImage = puller(store).pull(ref(":multi"), Platform.DEFAULT, PullProgress.NONE);
        assertEquals(Digest.of(amd.getBytes()), amdImage.digest());
        RegistryException e = assertThrows(RegistryException.class,
                () -> puller(store).pull(ref(":multi"), Platform.parse("linux/s390x"), PullProgress.NONE));
        assertEquals(RegistryException.Failure.PlatformNotFound, e.failure());
    }

    private static JsonNode entry(String manifest, String arch) {
        var e = JSON.createObjectNode().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", Digest.of(manifest.getBytes()).toString()).put("size", manifest.getBytes().length);
        e.putObject("platform").put("os", "linux").put("architecture", arch);
        return e;
    }

    @Test
    void unknownTagIsManifestUnknown() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("home3/images"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> puller(store).pull(ref(":nope"), Platform.DEFAULT, PullProgress.NONE));
        assertEquals(RegistryException.Failure.ManifestUnknown, e.failure());
        assertTrue(e.getMessage().contains("has no nope"), e.getMessage());
    }

    @Test
    void corruptBlobIsRejectedAndStoreStaysClean() throws Exception {
        Path work = Files.createDirectories(dir.resolve("build-corrupt"));
        TestImages.pushLayered(work, registry, "test/corrupt:v1", "amd64");
        ImageStore store = new ImageStore(dir.resolve("home4/images"));
        ImageReference r = ImageReference.parse(registry.host() + "/test/corrupt:v1");
        RegistryClient client = new RegistryClient(CredentialStore.none(), RegistryOptions.defaults());
        String layer = client.manifest(r, Platform.DEFAULT).layers().get(1).digest().hex();
        Path data = registry.blobData(layer);
        byte[] original = Files.readAllBytes(data);
        byte[] bad = original.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(data, bad);
        try {
            RegistryException e = assertThrows(RegistryException.class, () -> puller(store).pull(r, Platform.DEFAULT, PullProgress.NONE));
            assertEquals(RegistryException.Failure.DigestMismatch, e.failure());
            assertFalse(Files.exists(store.blobs().path(Digest.parse("sha256:" + layer))), "corrupt blob kept");
            StoreChecks.assertTempEmpty(store);
        } finally {
            Files.write(data, original);
        }
        assertTrue(Files.isRegularFile(puller(store).pull(r, Platform.DEFAULT, PullProgress.NONE).rootfs()), "pull after repair");
    }

    @Test
    void registryDownThenBack() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("home5/images"));
        registry.stop();
        try {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> puller(store).pull(ref(":amd64"), Platform.DEFAULT, PullProgress.NONE));
            assertEquals(RegistryException.Failure.RegistryUnreachable, e.failure());
            assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
        } finally {
            registry.start();
        }
        StoreChecks.assertTempEmpty(store);
        assertTrue(Files.isRegularFile(puller(store).pull(ref(":amd64"), Platform.DEFAULT, PullProgress.NONE).rootfs()));
    }

    @Test
    void registryThatAcceptsButNeverAnswersIsUnreachableNotAHang() throws Exception {
        // The kernel completes the handshakes (backlog); nothing ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RegistryOptions quick = new RegistryOptions(Set.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(1));
            long start = System.nanoTime();
            RegistryException e = assertThrows(RegistryException.class, () -> new RegistryClient(CredentialStore.none(), quick)
                    .manifest(ImageReference.parse("127.0.0.1:" + silent.getLocalPort() + "/test/img:amd64"), Platform.DEFAULT));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(RegistryException.Failure.RegistryUnreachable, e.failure(), e.getMessage());
            assertTrue(e.getMessage().endsWith("unreachable after 2 attempts: no response within 1 s"), e.getMessage());
            assertTrue(seconds < 15, "gave up after " + seconds + " s");
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
