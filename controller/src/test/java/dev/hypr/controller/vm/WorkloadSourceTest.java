package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.EnvVar;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.image.ImageConfig;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.RegistryException;
import dev.hypr.controller.runtime.TerminalException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadSourceTest {
    private static final Path SQFS = Path.of("/images/x/rootfs.squashfs");
    private static final ImageConfig CONFIG = new ImageConfig(List.of("/entry"), List.of("default", "args"),
            List.of("PATH=/usr/bin", "FOO=image"), "/srv", "", List.of(), Map.of(), "linux", "amd64");

    private static VmSpec spec(String image, List<String> command, List<String> args, List<EnvVar> env, String workingDir, String user) {
        return new VmSpec(image, null, null, command, args, env, workingDir, user, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Workload resolve(VmSpec spec, ImageConfig config) throws Exception {
        PulledImage img = new PulledImage("reg/app:v1", Digest.parse("sha256:" + "a".repeat(64)), SQFS, config, 1, List.of());
        return new WorkloadSource(ref -> img, null, new ImageUsers()).resolve(spec);
    }

    @Test
    void imageDefaultsApplyWhenSpecIsSilent() throws Exception {
        Workload w = resolve(spec("reg/app:v1", null, null, null, null, null), CONFIG);
        assertEquals(SQFS, w.rootfs());
        assertEquals(List.of("/entry", "default", "args"), w.argv());
        assertEquals(List.of("PATH=/usr/bin", "FOO=image"), w.env());
        assertEquals(Optional.of("/srv"), w.workingDir());
        assertEquals(Optional.empty(), w.user());
    }

    @Test
    void argsReplaceCmdButKeepEntrypoint() throws Exception {
        assertEquals(List.of("/entry", "mine"), resolve(spec("i", null, List.of("mine"), null, null, null), CONFIG).argv());
    }

    @Test
    void commandReplacesEntrypointAndDropsCmd() throws Exception {
        assertEquals(List.of("/bin/sh"), resolve(spec("i", List.of("/bin/sh"), null, null, null, null), CONFIG).argv());
        assertEquals(List.of("/bin/sh", "-c", "x"), resolve(spec("i", List.of("/bin/sh"), List.of("-c", "x"), null, null, null), CONFIG).argv());
    }

    @Test
    void specEnvWinsByNameAndKeepsImageOrder() throws Exception {
        Workload w = resolve(spec("i", null, null, List.of(new EnvVar("FOO", "spec"), new EnvVar("NEW", null)), "/work", "7:8"), CONFIG);
        assertEquals(List.of("PATH=/usr/bin", "FOO=spec", "NEW="), w.env());
        assertEquals(Optional.of("/work"), w.workingDir());
        assertEquals(Optional.of("7:8"), w.user());
    }

    @Test
    void anImageWithoutEntrypointOrCmdNeedsACommand() {
        ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of(), Map.of(), "linux", "amd64");
        assertThrows(TerminalException.class, () -> resolve(spec("i", null, null, null, null, null), empty));
    }

    @Test
    void aRegistryFailureIsRetryableAndKeepsTheRegistryMessage() {
        WorkloadSource source = new WorkloadSource(ref -> {
            throw new RegistryException(RegistryException.Failure.ManifestUnknown, "manifest unknown: reg/app:v1");
        }, null, new ImageUsers());
        ImagePullFailedException e = assertThrows(ImagePullFailedException.class,
                () -> source.resolve(spec("reg/app:v1", null, null, null, null, null)));
        assertTrue(e.getMessage().contains("manifest unknown: reg/app:v1"), e.getMessage());
    }

    @Test
    void namedUsersResolveThroughTheImagesPasswdAndGroup() {
        var passwd = ImageUsers.ids("root:x:0:0::/root:/bin/sh\nnginx:x:101:102::/:/sbin/nologin\n", true);
        var group = ImageUsers.ids("root:x:0:\nstaff:x:50:\n", false);
        assertEquals("101:102", ImageUsers.resolve("nginx", passwd, group, "img"));
        assertEquals("101:50", ImageUsers.resolve("nginx:staff", passwd, group, "img"));
        assertEquals("5:50", ImageUsers.resolve("5:staff", passwd, group, "img"));
        assertEquals("1000", ImageUsers.resolve("1000", passwd, group, "img"));
        assertThrows(TerminalException.class, () -> ImageUsers.resolve("nobody", passwd, group, "img"));
    }
}
