package dev.hypr.controller.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthChallengeTest {
    @Test
    void bearerChallenge() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull,push\"").orElseThrow();
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/nginx:pull,push", c.param("scope"), "commas inside quotes stay");
    }

    @Test
    void basicChallengeUnquotedAndSpaces() {
        AuthChallenge c = AuthChallenge.parse("basic realm=Registry Realm").orElseThrow();
        assertTrue(c.isBasic());
        assertEquals("Registry Realm", c.param("realm"));
        assertFalse(AuthChallenge.parse("").isPresent());
    }

    @Test
    void credentialFilesHyprFirstThenDocker(@TempDir Path dir) throws Exception {
        Path hypr = dir.resolve("hypr/auth.json");
        Path docker = dir.resolve("docker.json");
        Files.writeString(docker, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + new Credentials("hub", "pw").authField() + "\"},\"reg:5000\":{\"auth\":\""
                + new Credentials("docker", "d").authField() + "\"}}}");
        CredentialStore.save(hypr, "reg:5000", new Credentials("alice", "s3:cret"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hypr)));
        CredentialStore store = new CredentialStore(java.util.List.of(hypr, docker));
        assertEquals(new Credentials("alice", "s3:cret"), store.lookup("reg:5000").orElseThrow());
        assertEquals("hub", store.lookup("docker.io").orElseThrow().username());
        assertTrue(CredentialStore.remove(hypr, "reg:5000"));
        assertEquals("docker", store.lookup("reg:5000").orElseThrow().username());
        assertFalse(store.lookup("other").isPresent());
    }

    @Test
    void plainHttpOnlyForLoopbackAndListedHosts() {
        RegistryOptions o = RegistryOptions.defaults().withInsecure(java.util.Set.of("lab.example:5000"));
        assertEquals("http", o.scheme("127.0.0.1:5000"));
        assertEquals("http", o.scheme("localhost"));
        assertEquals("http", o.scheme("lab.example:5000"));
        assertEquals("https", o.scheme("lab.example"));
        assertEquals("https", o.scheme("registry-1.docker.io"));
    }
}
