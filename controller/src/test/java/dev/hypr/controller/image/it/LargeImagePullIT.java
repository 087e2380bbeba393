package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.RegistryException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60 MiB single-layer image of random bytes (incompressible: the blob is as large as the
 * file): it survives pull and squashfs bit for bit, and a registry killed while that blob streams
 * yields RegistryUnreachable, no corrupt blob, and a clean pull once the registry is back.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LargeImagePullIT {
    private static final long SIZE = 60L << 20;
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static String fileSha;
    static ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void up() throws Exception {
        registry = new LocalRegistry(Files.createDirectories(dir.resolve("registry"))).start();
        fileSha = TestImages.pushLarge(Files.createDirectories(dir.resolve("build")), registry, "test/big:v1", SIZE);
    }

    @AfterAll
    static void down() throws Exception {
        registry.close();
        pool.shutdownNow();
    }

    private static PulledImage pull(ImageStore store, PullProgress progress) throws Exception {
        return StoreChecks.puller(store, CredentialStore.none(), pool)
                .pull(ImageReference.parse(registry.host() + "/test/big:v1"), Platform.DEFAULT, progress);
    }

    @Test
    void largeImageArrivesIntact() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("home-large/images"));
        PulledImage img = pull(store, PullProgress.NONE);
        assertTrue(img.compressedSize() >= SIZE, "blob smaller than the file: " + img.compressedSize());
        assertBigFileIntact(img);
        StoreChecks.assertBlobsMatchNames(store);
        StoreChecks.assertTempEmpty(store);
    }

    @Test
    void registryKilledMidBlobThenPullSucceeds() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("home-killed/images"));
        // Killed from the download thread once 8 MiB of the layer are in: the transfer is then
        // certainly in flight, with a partial temp file under tmp/.
        AtomicReference<String> atKill = new AtomicReference<>();
        PullProgress killer = (phase, done, total) -> {
            if (phase.equals("downloading") && done >= (8L << 20) && atKill.get() == null) {
                atKill.set(describeTemp(store));
                try {
                    registry.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            RegistryException e = assertThrows(RegistryException.class, () -> pull(store, killer));
            assertEquals(RegistryException.Failure.RegistryUnreachable, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
        } finally {
            registry.start();
        }
        assertTrue(atKill.get() != null && atKill.get().contains("blob-"), "no partial blob when the registry was killed: " + atKill.get());
        StoreChecks.assertTempEmpty(store);
        StoreChecks.assertBlobsMatchNames(store);
        assertFalse(store.find(ImageReference.parse(registry.host() + "/test/big:v1"), Platform.DEFAULT).isPresent());

        assertBigFileIntact(pull(store, PullProgress.NONE));
        StoreChecks.assertBlobsMatchNames(store);
    }

    /** big.bin read back out of the squashfs by unsquashfs: same size and sha256 as written. */
    private static void assertBigFileIntact(PulledImage img) throws Exception {
        Process p = new ProcessBuilder("unsquashfs", "-cat", img.rootfs().toString(), "big.bin")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CountingDigest read;
        try (InputStream out = p.getInputStream()) {
            read = CountingDigest.of(out);
        }
        assertEquals(0, p.waitFor(), "unsquashfs -cat big.bin");
        assertEquals(SIZE, read.bytes());
        assertEquals(fileSha, read.hex());
    }

    private record CountingDigest(long bytes, String hex) {
        static CountingDigest of(InputStream in) throws Exception {
            long[] count = {0};
            InputStream counting = new java.io.FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    count[0] += Math.max(n, 0);
                    return n;
                }
            };
            String hex = StoreChecks.sha256(counting).hex();
            return new CountingDigest(count[0], hex);
        }
    }

    /** The temp entries and their sizes, e.g. "blob-…=8454144 build-…=4096". */
    private static String describeTemp(ImageStore store) {
        try {
            StringBuilder sb = new StringBuilder();
            for (Path p : StoreChecks.list(StoreChecks.tmpDir(store))) {
                sb.append(p.getFileName()).append('=').append(Files.size(p)).append(' ');
            }
            return sb.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
