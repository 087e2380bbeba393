package dev.hypr.controller.image.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String HEX = "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
        "nginx, docker.io/library/nginx:latest",
        "nginx:alpine, docker.io/library/nginx:alpine",
        "bitnami/redis:7, docker.io/bitnami/redis:7",
        "docker.io/nginx, docker.io/library/nginx:latest",
        "index.docker.io/library/nginx:1, docker.io/library/nginx:1",
        "ghcr.io/org/team/app:v1.2, ghcr.io/org/team/app:v1.2",
        "localhost/app, localhost/app:latest",
        "localhost:5000/app:dev, localhost:5000/app:dev",
        "127.0.0.1:5000/test/img:t, 127.0.0.1:5000/test/img:t",
        "registry.example:5000/team/app_x-y, registry.example:5000/team/app_x-y:latest",
    })
    void normalises(String in, String expected) {
        assertEquals(expected, ImageReference.parse(in).toString());
    }

    @Test
    void digestPinnedWithAndWithoutTag() {
        ImageReference r = ImageReference.parse("registry.example:5000/team/app@sha256:" + HEX);
        assertEquals("registry.example:5000", r.registry());
        assertNull(r.tag());
        assertEquals("sha256:" + HEX, r.manifestReference());
        ImageReference both = ImageReference.parse("nginx:1.25@sha256:" + HEX);
        assertEquals("1.25", both.tag());
        assertEquals("sha256:" + HEX, both.manifestReference(), "the digest wins over the tag");
    }

    @Test
    void dockerHubApiHost() {
        assertEquals("registry-1.docker.io", ImageReference.parse("nginx").apiHost());
        assertEquals("localhost:5000", ImageReference.parse("localhost:5000/x").apiHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Nginx", "nginx:", "nginx:-bad", "nginx@sha256:abc", "nginx@md5:a",
        "a//b", "/nginx", "nginx/", "bad_host:5000:x/app", "ex ample/app", "repo/UPPER:tag", "app:tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"})
    void rejectsMalformed(String in) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(in));
        assertTrue(e.getMessage().contains("invalid"), e.getMessage());
    }

    @Test
    void digestValueType() {
        assertEquals("sha256:" + HEX, Digest.parse("sha256:" + HEX).toString());
        assertThrows(InvalidReferenceException.class, () -> Digest.parse("sha256:" + HEX.toUpperCase()));
        assertThrows(InvalidReferenceException.class, () -> Digest.parse("sha512:" + HEX));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.of(new byte[0]).hex());
    }

    @Test
    void platform() {
        assertEquals(Platform.DEFAULT, Platform.parse(null));
        Platform arm = Platform.parse("linux/arm64/v8");
        assertTrue(arm.matches("linux", "arm64", "v8"));
        assertTrue(Platform.parse("linux/arm64").matches("linux", "arm64", "v8"));
        assertThrows(InvalidReferenceException.class, () -> Platform.parse("linux"));
    }
}
