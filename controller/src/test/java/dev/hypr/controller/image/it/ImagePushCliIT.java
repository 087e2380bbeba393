package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyprctl images push} through the real hyprd: a pulled bootable image is pushed to a
 * registry behind htpasswd Basic auth (refused before {@code hyprctl login}, then uploaded) and
 * within the anonymous registry (mounted); a second hyprd with a clean store boots a VM from the
 * pushed image by digest.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImagePushCliIT {
    private static final String USER = "pusher";
    private static final String PASSWORD = "push-pw-2";
    @TempDir
    static Path dir;
    static LocalRegistry open;
    static LocalRegistry locked;

    @BeforeAll
    static void up() throws Exception {
        Path busybox = GuestArtifacts.require().rootfs();
        open = new LocalRegistry(Files.createDirectories(dir.resolve("open"))).start();
        locked = LocalRegistry.withBasicAuth(Files.createDirectories(dir.resolve("locked")), USER, PASSWORD).start();
        TestImages.pushBootable(Files.createDirectories(dir.resolve("build")), open, "test/app:v1", busybox);
    }

    @AfterAll
    static void down() throws Exception {
        if (open != null) {
            open.close();
        }
        if (locked != null) {
            locked.close();
        }
    }

    private static Hyprctl.Run login(Hyprctl hyprctl) throws Exception {
        return hyprctl.runWithInput((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8), "login", locked.host(), "-u", USER,
                "--password-stdin");
    }

    @Test
    void pushedWithLoginThenBootedByDigestFromACleanStore() throws Exception {
        String source = open.host() + "/test/app:v1";
        String target = locked.host() + "/team/app:v1";
        String digest;
        try (HyprdProcess hyprd = HyprdProcess.start(dir.resolve("home1"), java.util.List.of(), Map.of("HYPR_AOT", "0"))) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), dir);
            Hyprctl.Run pull = hyprctl.run("images", "pull", source, "--progress", "plain");
            assertEquals(0, pull.exitCode(), pull.toString());

            Hyprctl.Run refused = hyprctl.run("images", "push", source, target);
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.stderr().contains("Unauthorized"), refused.toString());

            assertEquals(0, login(hyprctl).exitCode());
            Hyprctl.Run push = hyprctl.run("images", "push", source, target);
            assertEquals(0, push.exitCode(), push.toString());
            assertTrue(push.stdout().contains(": Pushed\n"), push.stdout());
            Matcher m = Pattern.compile(Pattern.quote(target) + ": digest: (sha256:[0-9a-f]{64})\n$").matcher(push.stdout());
            assertTrue(m.find(), push.stdout());
            digest = m.group(1);
            assertTrue(pull.stdout().contains("Digest: " + digest), "the digest it was pulled with: " + pull.stdout());

            Hyprctl.Run mirror = hyprctl.run("images", "push", source, open.host() + "/mirror/app:v1");
            assertEquals(0, mirror.exitCode(), mirror.toString());
            assertTrue(mirror.stdout().contains(": Mounted from test/app\n"), mirror.stdout());
            assertTrue(hyprctl.run("images", "ls").stdout().contains(target), "the pushed reference is in the store");
        }

        try (HyprdProcess hyprd = HyprdProcess.start(dir.resolve("home2"), java.util.List.of(), Map.of("HYPR_AOT", "0"))) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), dir);
            assertEquals(0, login(hyprctl).exitCode());
            String byDigest = locked.host() + "/team/app@" + digest;
            String vm = String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: VM", "metadata:", "  name: pushed", "spec:",
                    "  image: " + byDigest, "  memoryMiB: 128", "  network: none", "");
            assertEquals(0, hyprctl.runWithInput(vm.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").exitCode());
            Hyprctl.Run ready = hyprctl.run("wait", "vm/pushed", "--for=condition=Ready", "--timeout=180s");
            assertEquals(0, ready.exitCode(), ready + "\n" + hyprctl.run("get", "vm", "pushed", "-o", "yaml").stdout());
            Hyprctl.Run hello = hyprctl.run("exec", "pushed", "--", "cat", "/hello.txt");
            assertEquals(0, hello.exitCode(), hello.toString());
            assertEquals("hello from the upper layer\n", hello.stdout());
            hyprctl.run("delete", "vm", "pushed");
        }
    }
}
