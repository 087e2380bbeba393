package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.ImagePusher;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryException;
import dev.hypr.controller.image.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code images push} against Debian's docker-registry: an image pulled from one repository is
 * pushed to another of the same registry (its blobs cross-repository mounted, none uploaded),
 * again (everything already exists), and to a second registry behind htpasswd Basic auth
 * (refused without credentials, then uploaded in chunks); then a clean store pulls it back by
 * the digest the push returned, which is the digest it was pulled with.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImagePushIT {
    private static final String USER = "pusher";
    private static final String PASSWORD = "push-pw-1";
    @TempDir
    static Path dir;
    static LocalRegistry open;
    static LocalRegistry locked;
    static ExecutorService pool = Executors.newFixedThreadPool(2);
    static String bigSha;

    @BeforeAll
    static void up() throws Exception {
        open = new LocalRegistry(Files.createDirectories(dir.resolve("open"))).start();
        locked = LocalRegistry.withBasicAuth(Files.createDirectories(dir.resolve("locked")), USER, PASSWORD).start();
        TestImages.pushLayered(Files.createDirectories(dir.resolve("build")), open, "src/img:v1", "amd64");
        // 20 MiB of random bytes: three PATCH chunks of at most 8 MiB.
        bigSha = TestImages.pushLarge(Files.createDirectories(dir.resolve("big")), open, "src/big:v1", 20L << 20);
    }

    @AfterAll
    static void down() throws Exception {
        open.close();
        locked.close();
        pool.shutdownNow();
    }

    private static RegistryClient client(CredentialStore creds) {
        return new RegistryClient(creds, new RegistryOptions(Set.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(2)));
    }

    /** Each blob's last state, and every state seen. */
    private static final class Recorder implements dev.hypr.controller.image.registry.PushListener {
        final Map<Digest, String> last = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void blob(Digest digest, long size, String state, long bytesDone) {
            last.put(digest, state);
            all.add(digest.shortHex() + " " + state + " " + bytesDone + "/" + size);
        }
    }

    @Test
    void pushMountsWithinARegistryUploadsToAnotherWithBasicAuthAndPullsBackByDigest() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home1"));
        ImageStore store = new ImageStore(home.resolve("images"));
        CredentialStore creds = CredentialStore.standard(home, Files.createDirectories(dir.resolve("user1")));
        PulledImage img = StoreChecks.puller(store, creds, pool)
                .pull(ImageReference.parse(open.host() + "/src/img:v1"), Platform.DEFAULT, PullProgress.NONE);
        PulledImage big = StoreChecks.puller(store, creds, pool)
                .pull(ImageReference.parse(open.host() + "/src/big:v1"), Platform.DEFAULT, PullProgress.NONE);
        ImagePusher pusher = new ImagePusher(client(creds), store);

        // Same registry, another repository: config and both layers are mounted, nothing uploaded.
        Recorder mount = new Recorder();
        Digest d = pusher.push(img.digest(), ImageReference.parse(open.host() + "/copy/img:v2"), Platform.DEFAULT, mount);
        assertEquals(img.digest(), d, "the manifest is pushed byte for byte: same digest");
        assertEquals(3, mount.last.size());
        mount.last.values().forEach(s -> assertEquals("Mounted from src/img", s, mount.all.toString()));
        assertEquals(img.digest(), Digest.of(TestImages.get(open, "/v2/copy/img/manifests/v2",
                "application/vnd.oci.image.manifest.v1+json").getBytes()), "the registry serves the same manifest bytes");
        assertTrue(store.find(ImageReference.parse(open.host() + "/copy/img:v2"), Platform.DEFAULT).isPresent(),
                "the pushed reference resolves to the image in the store");

        Recorder again = new Recorder();
        pusher.push(img.digest(), ImageReference.parse(open.host() + "/copy/img:v2"), Platform.DEFAULT, again);
        again.last.values().forEach(s -> assertEquals("Layer already exists", s));

        // A registry with Basic auth: refused without credentials, nothing half-pushed matters.
        RegistryException refused = assertThrows(RegistryException.class, () -> pusher.push(img.digest(),
                ImageReference.parse(locked.host() + "/team/img:v1"), Platform.DEFAULT, new Recorder()));
        assertEquals(RegistryException.Failure.Unauthorized, refused.failure(), refused.getMessage());

        CredentialStore.save(home.resolve("auth.json"), locked.host(), new Credentials(USER, PASSWORD)); // as hyprctl login
        Recorder upload = new Recorder();
        assertEquals(img.digest(), pusher.push(img.digest(), ImageReference.parse(locked.host() + "/team/img:v1"), Platform.DEFAULT, upload));
        upload.last.values().forEach(s -> assertEquals("Pushed", s));
        Recorder bigUpload = new Recorder();
        Digest bigDigest = pusher.push(big.digest(), ImageReference.parse(locked.host() + "/team/big:v1"), Platform.DEFAULT, bigUpload);
        long chunks = bigUpload.all.stream().filter(s -> s.contains(" Uploading ")).count();
        assertTrue(chunks >= 3, "20 MiB in 8 MiB chunks: " + bigUpload.all);

        // A clean store pulls both back by digest from the locked registry.
        Path home2 = Files.createDirectories(dir.resolve("home2"));
        CredentialStore.save(home2.resolve("auth.json"), locked.host(), new Credentials(USER, PASSWORD));
        ImageStore clean = new ImageStore(home2.resolve("images"));
        CredentialStore creds2 = CredentialStore.standard(home2, Files.createDirectories(dir.resolve("user2")));
        PulledImage back = StoreChecks.puller(clean, creds2, pool).pull(
                ImageReference.parse(locked.host() + "/team/img@" + img.digest()), Platform.DEFAULT, PullProgress.NONE);
        assertEquals(img.digest(), back.digest());
        assertEquals("upper\n", ImagePullIT.run("unsquashfs", "-cat", back.rootfs().toString(), "etc/upper"));
        assertEquals(img.config(), back.config());
        PulledImage bigBack = StoreChecks.puller(clean, creds2, pool).pull(
                ImageReference.parse(locked.host() + "/team/big@" + bigDigest), Platform.DEFAULT, PullProgress.NONE);
        String sha = ImagePullIT.run("bash", "-c", "unsquashfs -cat " + bigBack.rootfs() + " big.bin | sha256sum | cut -d' ' -f1").strip();
        assertEquals(bigSha, sha);
        StoreChecks.assertTempEmpty(clean);
        StoreChecks.assertBlobsMatchNames(clean);
    }

    @Test
    void anImageWithoutItsManifestBlobSaysToPullAgain() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home3"));
        ImageStore store = new ImageStore(home.resolve("images"));
        CredentialStore creds = CredentialStore.standard(home, Files.createDirectories(dir.resolve("user3")));
        PulledImage img = StoreChecks.puller(store, creds, pool)
                .pull(ImageReference.parse(open.host() + "/src/img:v1"), Platform.DEFAULT, PullProgress.NONE);
        Files.delete(store.blobs().path(img.digest())); // as a store written before pulls kept manifests
        Exception e = assertThrows(Exception.class, () -> new ImagePusher(client(creds), store)
                .push(img.digest(), ImageReference.parse(open.host() + "/other/img:v1"), Platform.DEFAULT, new Recorder()));
        assertTrue(e.getMessage().contains("pull it again"), e.getMessage());
    }
}
