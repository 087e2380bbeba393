package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.host.TestProgram;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compose up} on a service with {@code build:}, end to end with the real hyprd, builder and QEMU
 * inside a network namespace: the image (FROM scratch on the test busybox rootfs, a RUN writing the page,
 * busybox httpd as CMD) is built, tagged {@code <project>-<service>}, and the service answers on its
 * published port; a second {@code up} builds nothing and restarts nothing; {@code compose build} rebuilds
 * from the cache; {@code up --no-build} with a missing image creates nothing.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ComposeBuildIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require();
    }

    @TempDir
    Path dir;

    static final String COMPOSE = """
            services:
              web:
                build:
                  context: ./web
                  args:
                    GREETING: built-by-compose
                ports: ["127.0.0.1:18082:80"]
                deploy: {resources: {limits: {memory: 128M}}}
            """;

    static final String DOCKERFILE = String.join("\n",
            "FROM scratch",
            "COPY rootfs/ /",
            "ARG GREETING",
            "RUN mkdir -p /site && echo \"$GREETING\" > /site/index.html",
            "EXPOSE 80",
            "CMD [\"/bin/httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/site\"]",
            "");

    @Test
    void upBuildsTheServiceImageWhichServesHttpAndASecondUpBuildsNothing() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        Path project = Files.createDirectories(dir.resolve("shop"));
        Path context = Files.createDirectories(project.resolve("web"));
        Process unpack = new ProcessBuilder(TestProgram.UNSQUASHFS.program(), "-q", "-n", "-d", context.resolve("rootfs").toString(),
                NetworkCluster.ROOTFS.toString()).redirectErrorStream(true).start();
        String unpacked = new String(unpack.getInputStream().readAllBytes());
        assertTrue(unpack.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, unpack.exitValue(), unpacked);
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(project.resolve("compose.yaml"), COMPOSE);

        try (NetworkCluster c = NetworkCluster.start(dir.resolve("home"), Map.of("HYPR_AOT", "0"))) {
            Hyprctl hyprctl = new Hyprctl(c.hyprd.socket(), project);

            Hyprctl.Run refused = hyprctl.run("compose", "up", "-d", "--no-build");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.stderr().contains("service web: image shop-web is missing and --no-build forbids building it"),
                    refused.toString());
            assertFalse(c.get("stack", "shop").isPresent(), "--no-build created nothing");

            Hyprctl.Run up = hyprctl.run("compose", "up", "-d");
            assertEquals(0, up.exitCode(), up.toString());
            assertTrue(up.stdout().contains("building service web (image shop-web)"), up.stdout());
            assertTrue(up.stdout().matches("(?s).*\\] RUN mkdir -p /site.*built sha256:[0-9a-f]{64} \\(\\d+ steps, \\d+ cached\\)\n"
                    + "stack/shop created\n"), "build progress as hyprctl build shows it, then the stack: " + up.stdout());
            assertTrue(hyprctl.run("images", "ls").stdout().contains("shop-web"), "tagged <project>-<service>");
            String page = NetworkCluster.await("the built service's published port", Duration.ofMinutes(4),
                    () -> c.curl("http://127.0.0.1:18082/index.html"), Optional::isPresent).orElseThrow();
            assertEquals("built-by-compose\n", page, "the build arg reached RUN and the image serves its page");

            long pid = c.status("shop-web-1").path("pid").asLong();
            Hyprctl.Run again = hyprctl.run("compose", "up", "-d");
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals("stack/shop unchanged\n", again.stdout(), "the image exists: no build, nothing changed");
            assertEquals(pid, c.status("shop-web-1").path("pid").asLong(), "the second up restarted nothing");

            Hyprctl.Run build = hyprctl.run("compose", "build", "web");
            assertEquals(0, build.exitCode(), build.toString());
            assertTrue(build.stdout().matches("(?s)building service web \\(image shop-web\\)\n.*built sha256:[0-9a-f]{64} "
                    + "\\((\\d+) steps, \\1 cached\\)\n"), "compose build rebuilds, every step from the cache: " + build.stdout());
        }
    }
}
