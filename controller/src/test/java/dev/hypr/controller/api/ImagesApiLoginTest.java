package dev.hypr.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesApiLoginTest {
    @TempDir
    Path home;

    @Test
    void loginWritesAuthJsonThatThePullSideReadsAndLogoutRemovesIt() throws Exception {
        ImagesApi api = new ImagesApi();
        api.paths = new dev.hypr.controller.config.HyprPaths(home, home.resolve("hypr.sock"));
        api.login("127.0.0.1:5000", "ci", "s3cret");
        Path auth = home.resolve("auth.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(auth)));
        assertEquals(Optional.of(new Credentials("ci", "s3cret")), CredentialStore.standard(home).lookup("127.0.0.1:5000"));
        assertTrue(api.logout("127.0.0.1:5000").getChanged());
        assertFalse(api.logout("127.0.0.1:5000").getChanged());
        assertEquals(Optional.empty(), new CredentialStore(java.util.List.of(auth)).lookup("127.0.0.1:5000"));
        assertThrows(IllegalArgumentException.class, () -> api.login("../etc", "u", "p"));
        assertThrows(IllegalArgumentException.class, () -> api.login("r", "u", ""));
    }
}
