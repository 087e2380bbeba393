package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose {@code secrets} at a target with uid/gid/mode, {@code configs} from a file and from
 * inline content, and {@code stop_signal}, from the compose file through the Stack and the VM
 * to the guest: {@code compose exec} sees the owners, modes and contents; the secret's value is
 * in no object and not in hyprd's log.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ComposeFilesIT {
    private static final String DB_PASSWORD = "compose-pw-3e9d";

    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require();
    }

    @TempDir
    Path dir;

    @Test
    void secretsAtATargetAndConfigsReachTheGuestWithOwnerModeAndContent() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(dir.resolve("home"), Map.of("HYPR_AOT", "0"));
                ComposeIT.NsRegistry registry = ComposeIT.NsRegistry.start(c.ns, Files.createDirectories(dir.resolve("registry")))) {
            String image = registry.pushBusybox(Files.createDirectories(dir.resolve("build")), "test/app:v1");
            Path project = Files.createDirectories(dir.resolve("files"));
            Files.writeString(project.resolve("db_password.txt"), DB_PASSWORD);
            Files.writeString(project.resolve("app.conf"), "greeting=hello\n");
            Files.writeString(project.resolve("compose.yaml"), """
                    services:
                      app:
                        image: %s
                        command: ["/bin/sh", "-c", "echo up; exec sleep 1000"]
                        stop_signal: SIGQUIT
                        restart: on-failure:2
                        secrets:
                          - {source: db_password, target: /etc/app/db.pw, uid: "0", gid: "100", mode: 0440}
                        configs:
                          - {source: app_conf, target: /etc/app/app.conf}
                          - {source: banner, target: /srv/banner.txt, uid: "1000", mode: "0600"}
                        deploy: {resources: {limits: {memory: 128M}}}
                    secrets:
                      db_password: {file: ./db_password.txt}
                    configs:
                      app_conf: {file: ./app.conf}
                      banner: {content: "welcome"}
                    """.formatted(image));
            Hyprctl hyprctl = new Hyprctl(c.hyprd.socket(), project);

            Hyprctl.Run up = hyprctl.run("compose", "up", "-d");
            assertEquals(0, up.exitCode(), up.toString());
            NetworkCluster.await("stack files 1/1 ready", Duration.ofMinutes(4),
                    () -> c.get("stack", "files").map(s -> s.path("status")).orElse(null),
                    st -> st != null && "1/1".equals(st.path("servicesReady").asText()));

            JsonNode spec = c.get("vm", "files-app-1").orElseThrow().path("spec");
            assertEquals("SIGQUIT", spec.path("stopSignal").asText(), spec.toString());
            assertEquals(2, spec.path("maxRestarts").asInt(), spec.toString());
            assertEquals("/etc/app/db.pw", spec.at("/secrets/0/mountPath").asText(), spec.toString());
            assertEquals(2, spec.path("files").size(), spec.toString());

            Hyprctl.Run ls = hyprctl.run("compose", "exec", "-T", "app", "--", "ls", "-ln", "/etc/app/db.pw", "/etc/app/app.conf",
                    "/srv/banner.txt");
            assertEquals(0, ls.exitCode(), ls.toString());
            assertTrue(ls.stdout().matches("(?s).*-r--r----- +1 0 +100 .*/etc/app/db\\.pw\n.*"), ls.stdout());
            assertTrue(ls.stdout().matches("(?s).*-r--r--r-- +1 0 +0 .*/etc/app/app\\.conf\n.*"), ls.stdout());
            assertTrue(ls.stdout().matches("(?s).*-rw------- +1 1000 +0 .*/srv/banner\\.txt\n.*"), ls.stdout());
            Hyprctl.Run cat = hyprctl.run("compose", "exec", "-T", "app", "--", "cat", "/etc/app/db.pw", "/etc/app/app.conf",
                    "/srv/banner.txt");
            assertEquals(DB_PASSWORD + "greeting=hello\nwelcome", cat.stdout(), cat.toString());

            String shown = c.get("stack", "files").orElseThrow().toString() + c.get("vm", "files-app-1").orElseThrow()
                    + hyprctl.run("compose", "ps").stdout() + hyprctl.run("compose", "convert").stdout() + c.hyprd.output();
            assertFalse(shown.contains(DB_PASSWORD), "the secret's value is shown: " + shown);

            Hyprctl.Run down = hyprctl.run("compose", "down");
            assertEquals(0, down.exitCode(), down.toString());
        }
    }
}
