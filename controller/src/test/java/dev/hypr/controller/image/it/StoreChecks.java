package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.image.ImagePuller;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryOptions;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/** The pullers the ITs use (short retries) and the checks that a store was left consistent. */
final class StoreChecks {
    private StoreChecks() {
    }

    static ImagePuller puller(ImageStore store, CredentialStore credentials, ExecutorService pool) {
        RegistryClient client = new RegistryClient(credentials, new RegistryOptions(Set.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(2)));
        return new ImagePuller(client, store, new SquashfsBuilder("tar2sqfs", "gzip", OptionalInt.empty()), pool, 1L << 30, 100_000);
    }

    static void assertTempEmpty(ImageStore store) throws Exception {
        assertEquals(List.of(), list(tmpDir(store)), "temp files left behind");
    }

    /** Every file under blobs/ holds exactly the content its name promises. */
    static void assertBlobsMatchNames(ImageStore store) throws Exception {
        for (Path blob : list(blobsDir(store))) {
            try (InputStream in = Files.newInputStream(blob)) {
                assertEquals(blob.getFileName().toString(), sha256(in).hex(), "corrupt blob " + blob);
            }
        }
    }

    static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static Path blobsDir(ImageStore store) {
        return store.blobs().path(Digest.of(new byte[0])).getParent();
    }

    static Path tmpDir(ImageStore store) {
        return blobsDir(store).getParent().getParent().resolve("tmp");
    }

    static Digest sha256(InputStream in) throws Exception {
        MessageDigest sha = Digest.sha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
        }
        return Digest.of(sha);
    }
}
