package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.GuestFile;
import dev.hypr.api.model.SecretFileMount;
import dev.hypr.controller.vmm.GuestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files are read byte-exact at boot; every failure names the field and file, never the content. */
class SecretFilesTest {
    @TempDir
    Path tmp;

    private static EnvVar fromFile(String name, Path file) {
        return new EnvVar(name, null, new EnvVar.EnvVarSource(file.toString()));
    }

    @Test
    void envValueIsTheFileUnchangedTrailingNewlineIncluded() throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw"), "hunter2\n");
        assertEquals("hunter2\n", SecretFiles.envValue(fromFile("PASSWORD", pw)));
    }

    @Test
    void secretFilesKeepBinaryContent() throws Exception {
        byte[] content = {1, 0, (byte) 0xff};
        Path db = Files.write(tmp.resolve("db"), content);
        assertArrayEquals(content, SecretFiles.read(List.of(new SecretFileMount("db", db.toString()))).get(0).content());
    }

    @Test
    void filesComeInlineOrFromTheirHostPathAndSecretsKeepTheirPlaceAndOwner() throws Exception {
        Path conf = Files.writeString(tmp.resolve("app.conf"), "a=1\n");
        Path db = Files.writeString(tmp.resolve("db"), "pw");
        var files = SecretFiles.read(List.of(new SecretFileMount("db", db.toString(), "/etc/db.pw", 0, 100, "0440")), List.of(
                new GuestFile("/etc/app.conf", null, conf.toString(), null, null, null),
                new GuestFile("/motd", "hi", null, 1000, null, "0600")));
        assertEquals(new GuestConfig.SecretFile("db", "pw".getBytes(), "/etc/db.pw", 0, 100, "0440"), files.get(0));
        assertEquals(new GuestConfig.SecretFile("/etc/app.conf", "a=1\n".getBytes(), "/etc/app.conf", null, null, "0444"), files.get(1),
                "a file's default mode is 0444");
        assertEquals(new GuestConfig.SecretFile("/motd", "hi".getBytes(), "/motd", 1000, null, "0600"), files.get(2));
        VmConfigException e = assertThrows(VmConfigException.class, () -> SecretFiles.read(null,
                List.of(new GuestFile("/x", null, tmp.resolve("gone").toString(), null, null, null))));
        assertTrue(e.getMessage().contains("spec.files[/x].hostPath") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void failuresNameTheFieldAndFileButNeverTheContent() throws Exception {
        Path missing = tmp.resolve("missing");
        VmConfigException e = assertThrows(VmConfigException.class, () -> SecretFiles.envValue(fromFile("PASSWORD", missing)));
        assertEquals(VmConfigException.SECRET_UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains("spec.env[PASSWORD].valueFrom.secretFile") && e.getMessage().contains(missing.toString())
                && e.getMessage().contains("no such file"), e.getMessage());

        Path withNul = Files.write(tmp.resolve("nul"), new byte[] {'z', 'q', '9', 0, 'x', 'k', '7'});
        e = assertThrows(VmConfigException.class, () -> SecretFiles.envValue(fromFile("P", withNul)));
        assertTrue(e.getMessage().contains("NUL") && !e.getMessage().contains("zq9"), e.getMessage());

        e = assertThrows(VmConfigException.class, () -> SecretFiles.read(List.of(new SecretFileMount("d", tmp.toString()))));
        assertTrue(e.getMessage().contains("spec.secrets[d].file") && e.getMessage().contains("directory"), e.getMessage());

        Path big = Files.write(tmp.resolve("big"), new byte[SecretFiles.MAX_BYTES + 1]);
        e = assertThrows(VmConfigException.class, () -> SecretFiles.read(List.of(new SecretFileMount("big", big.toString()))));
        assertEquals(VmConfigException.SECRET_UNREADABLE, e.reason());
    }

    @Test
    void aWorkloadConfigOverOneFrameIsAnInvalidSpecBeforeAnyVmmRuns() throws Exception {
        Path k = Files.writeString(tmp.resolve("vmlinux"), "k");
        List<EnvVar> env = List.of(new EnvVar("A", "a".repeat(600 * 1024)), new EnvVar("B", "b".repeat(600 * 1024)));
        var spec = new dev.hypr.api.model.VmSpec(null, "/r.squashfs", null, List.of("sh"), null, env, null, null, null, 128, null,
                "none", null, null, null, null, null, null, null);
        VmConfigException e = assertThrows(VmConfigException.class,
                () -> VmLaunchSpecs.build("web", spec, tmp.resolve("run"), k, k, tmp.resolve("r"), 0));
        assertEquals(VmConfigException.INVALID_SPEC, e.reason());
        assertFalse(e.getMessage().contains("aaaa"), "no values in the message");
    }
}
