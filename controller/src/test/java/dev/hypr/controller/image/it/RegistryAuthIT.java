package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import dev.hypr.controller.image.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A docker-registry behind htpasswd (Basic) auth: a pull without or with wrong credentials fails
 * as Unauthorized and leaves the store untouched; the same pull then succeeds with credentials
 * from either file the daemon reads ({@code $HYPR_HOME/auth.json}, {@code ~/.docker/config.json}).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryAuthIT {
    private static final String USER = "hypr";
    private static final String PASSWORD = "s3cret-pw";
    @TempDir
    static Path dir;
    static LocalRegistry registry;
    static ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void up() throws Exception {
        registry = LocalRegistry.withBasicAuth(Files.createDirectories(dir.resolve("registry")), USER, PASSWORD).start();
        TestImages.pushLayered(Files.createDirectories(dir.resolve("build")), registry, "private/img:v1", "amd64");
    }

    @AfterAll
    static void down() throws Exception {
        registry.close();
        pool.shutdownNow();
    }

    /** A daemon home and a user home of its own, so the real ~/.docker/config.json is never read. */
    private record Homes(Path hypr, Path user) {
        static Homes create(String name) throws Exception {
            return new Homes(Files.createDirectories(dir.resolve(name + "/hypr")), Files.createDirectories(dir.resolve(name + "/user")));
        }

        RegistryException pullFails(ImageStore store) {
            return assertThrows(RegistryException.class, () -> pull(store));
        }

        PulledImage pull(ImageStore store) throws Exception {
            return StoreChecks.puller(store, CredentialStore.standard(hypr, user), pool)
                    .pull(ImageReference.parse(registry.host() + "/private/img:v1"), Platform.DEFAULT, PullProgress.NONE);
        }

        void writeDockerConfig(String password) throws Exception {
            String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes());
            Files.createDirectories(user.resolve(".docker"));
            Files.writeString(user.resolve(".docker/config.json"), "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \"" + auth + "\"}}}");
        }
    }

    @Test
    void withoutCredentialsUnauthorizedThenLoginPulls() throws Exception {
        Homes homes = Homes.create("nocreds");
        ImageStore store = new ImageStore(homes.hypr().resolve("images"));
        RegistryException e = homes.pullFails(store);
        assertEquals(RegistryException.Failure.Unauthorized, e.failure());
        assertTrue(e.getMessage().contains("requires authentication") && e.getMessage().contains("hyprctl login " + registry.host()),
                e.getMessage());
        assertStoreUntouched(store);

        CredentialStore.save(homes.hypr().resolve("auth.json"), registry.host(), new Credentials(USER, PASSWORD)); // what `hyprctl login` does
        assertPulled(homes.pull(store));
        StoreChecks.assertTempEmpty(store);
    }

    @Test
    void wrongPasswordUnauthorizedThenDockerConfigPulls() throws Exception {
        Homes homes = Homes.create("docker");
        ImageStore store = new ImageStore(homes.hypr().resolve("images"));
        homes.writeDockerConfig("wrong");
        RegistryException e = homes.pullFails(store);
        assertEquals(RegistryException.Failure.Unauthorized, e.failure());
        assertTrue(e.getMessage().contains("refused access to private/img (HTTP 401)"), e.getMessage());
        assertStoreUntouched(store);

        homes.writeDockerConfig(PASSWORD);
        assertPulled(homes.pull(store));
    }

    private static void assertStoreUntouched(ImageStore store) throws Exception {
        assertEquals(List.of(), StoreChecks.list(StoreChecks.blobsDir(store)), "blobs stored by a refused pull");
        StoreChecks.assertTempEmpty(store);
        assertTrue(store.find(ImageReference.parse(registry.host() + "/private/img:v1"), Platform.DEFAULT).isEmpty());
    }

    private static void assertPulled(PulledImage img) throws Exception {
        assertEquals(2, img.layers().size());
        assertEquals("upper\n", ImagePullIT.run("unsquashfs", "-cat", img.rootfs().toString(), "etc/upper"));
    }
}
