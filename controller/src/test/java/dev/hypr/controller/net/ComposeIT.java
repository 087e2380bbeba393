package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyprctl compose} end to end with the real hyprd, Stack controller and QEMU, inside a network
 * namespace (with a registry there serving a busybox image): {@code up -d} a two-service stack,
 * {@code ps}, {@code logs}, {@code exec} (the named volume mounted by Kestrel); a second {@code up} restarts
 * nothing; {@code restart web} recreates web only; killing db's VMM restarts it and {@code ps} shows
 * "restarted 1x"; {@code down} keeps the
 * named volume, whose data is there after the next {@code up}; {@code down -v} removes it; a compose
 * file dropped into a Sync directory comes up.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ComposeIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require();
    }

    @TempDir
    Path dir;

    private static final Duration READY = Duration.ofMinutes(4);

    static String compose(String image) {
        return """
                services:
                  db:
                    image: %1$s
                    command: ["/bin/httpd", "-f", "-p", "5432", "-h", "/www"]
                    volumes: [data:/data]
                    restart: always
                    deploy: {resources: {limits: {memory: 128M}}}
                  web:
                    image: %1$s
                    command: ["/bin/sh", "-c", "until wget -qO- http://db:5432/ >/dev/null; do sleep 1; done; echo reached-db; exec httpd -f -p 80 -h /www"]
                    ports: ["127.0.0.1:18081:80"]
                    depends_on: [db]
                    deploy: {resources: {limits: {memory: 128M}}}
                volumes:
                  data:
                """.formatted(image);
    }

    @Test
    void composeUpPsLogsExecDownKeepsTheVolumeDownDashVRemovesItAndSyncRunsAComposeFile() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(dir.resolve("home"), Map.of("HYPR_AOT", "0"));
                NsRegistry registry = NsRegistry.start(c.ns, Files.createDirectories(dir.resolve("registry")))) {
            String image = registry.pushBusybox(Files.createDirectories(dir.resolve("build")), "test/app:v1");
            Path project = Files.createDirectories(dir.resolve("shop"));
            Files.writeString(project.resolve("compose.yaml"), compose(image));
            Hyprctl hyprctl = new Hyprctl(c.hyprd.socket(), project);

            Hyprctl.Run up = hyprctl.run("compose", "up", "-d");
            assertEquals(0, up.exitCode(), up.toString());
            assertEquals("stack/shop created\n", up.stdout());
            awaitReady(c, "2/2");

            Hyprctl.Run ps = hyprctl.run("compose", "ps");
            assertEquals(0, ps.exitCode(), ps.toString());
            assertTrue(ps.stdout().matches("(?s)NAME +SERVICE +IMAGE +STATUS +HEALTH +PORTS\nshop-db-1 +db +.*Running.*\n"
                    + "shop-web-1 +web +.*Running .*127\\.0\\.0\\.1:18081->.*:80/tcp\n"), ps.stdout());

            NetworkCluster.await("web's log line, prefixed", Duration.ofMinutes(2), () -> hyprctl.run("compose", "logs", "web").stdout(),
                    l -> l.contains("shop-web-1 | reached-db\n"));
            Hyprctl.Run write = hyprctl.run("compose", "exec", "-T", "db", "--", "sh", "-c", "echo kept > /data/f && sync && cat /data/f");
            assertEquals(0, write.exitCode(), write.toString());
            assertEquals("kept\n", write.stdout());
            assertTrue(c.curl("http://127.0.0.1:18081/").isPresent(), "web's published port answers");

            // a second up (waiting this time) finds everything running and restarts nothing
            long dbPid = c.status("shop-db-1").path("pid").asLong();
            long webPid = c.status("shop-web-1").path("pid").asLong();
            Hyprctl.Run again = hyprctl.run("compose", "up", "--wait-timeout", "100s");
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(again.stdout().startsWith("stack/shop unchanged\n"), again.stdout());
            assertTrue(again.stdout().contains(" service web running"), again.stdout());
            assertEquals(dbPid, c.status("shop-db-1").path("pid").asLong());
            assertEquals(webPid, c.status("shop-web-1").path("pid").asLong());

            // restart web: its VM is recreated (new VMM pid), db's is not
            Hyprctl.Run restart = hyprctl.run("compose", "restart", "web");
            assertEquals(0, restart.exitCode(), restart.toString());
            NetworkCluster.await("web recreated with a new VMM", READY,
                    () -> c.get("vm", "shop-web-1").map(v -> v.path("status").path("pid").asLong()).orElse(0L),
                    pid -> pid != 0 && pid != webPid);
            awaitReady(c, "2/2");
            assertEquals(dbPid, c.status("shop-db-1").path("pid").asLong(), "restarting web leaves db alone");

            // db's VMM dies: with restart: always the VM controller boots it again and compose ps says so
            assertTrue(ProcessHandle.of(dbPid).map(ProcessHandle::destroyForcibly).orElse(false), "db's VMM " + dbPid + " runs");
            NetworkCluster.await("compose ps shows db restarted and running", READY,
                    () -> hyprctl.run("compose", "ps").stdout() + hyprctl.run("describe", "vm", "shop-db-1").stdout(),
                    out -> out.matches("(?s).*\nshop-db-1 +db +\\S+ +Running, restarted 1x\\b.*"));
            assertTrue(c.status("shop-db-1").path("pid").asLong() != dbPid, "db runs in a new VMM");
            awaitReady(c, "2/2");

            // down: VMs and network gone, the named volume kept with its data
            Hyprctl.Run down = hyprctl.run("compose", "down");
            assertEquals(0, down.exitCode(), down.toString());
            assertFalse(c.get("vm", "shop-db-1").isPresent() || c.get("vm", "shop-web-1").isPresent(), "down waits for the VMs");
            NetworkCluster.await("the stack network gone", Duration.ofMinutes(1), () -> c.get("network", "shop-default").isPresent(),
                    present -> !present);
            assertTrue(c.get("volume", "shop-data").isPresent(), "down keeps the named volume");

            assertEquals(0, hyprctl.run("compose", "up", "-d").exitCode());
            awaitReady(c, "2/2");
            Hyprctl.Run read = hyprctl.run("compose", "exec", "-T", "db", "--", "sh", "-c", "cat /data/f");
            assertEquals("kept\n", read.stdout(), read.toString());

            Hyprctl.Run downV = hyprctl.run("compose", "down", "-v");
            assertEquals(0, downV.exitCode(), downV.toString());
            assertEquals("stack/shop deleted\nvolume/shop-data deleted\n", downV.stdout());
            assertFalse(c.get("volume", "shop-data").isPresent(), "down -v removes the named volume");

            // GitOps: a compose file in a Sync directory becomes a Stack that comes up
            Path source = Files.createDirectories(dir.resolve("gitops"));
            Files.writeString(source.resolve("synced.compose.yaml"), """
                    services:
                      app:
                        image: %s
                        command: ["/bin/httpd", "-f", "-p", "80", "-h", "/www"]
                        deploy: {resources: {limits: {memory: 128M}}}
                    """.formatted(image));
            c.apply("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Sync\",\"metadata\":{\"name\":\"ops\"},"
                    + "\"spec\":{\"source\":{\"path\":\"" + source + "\"},\"prune\":true}}");
            JsonNode synced = NetworkCluster.await("stack synced ready", READY,
                    () -> c.get("stack", "synced").map(s -> s.path("status")).orElse(null),
                    st -> st != null && "1/1".equals(st.path("servicesReady").asText()));
            assertEquals("Running", synced.path("phase").asText(), synced.toString());
            assertEquals("ops", c.get("stack", "synced").orElseThrow().path("metadata").path("labels").path("hypr.dev/sync").asText());
        }
    }

    private static void awaitReady(NetworkCluster c, String ready) throws Exception {
        NetworkCluster.await("stack shop " + ready + " ready", READY,
                () -> c.get("stack", "shop").map(s -> s.path("status")).orElse(null),
                st -> st != null && ready.equals(st.path("servicesReady").asText()) && "Running".equals(st.path("phase").asText()));
    }

    /** Debian's docker-registry inside the namespace (where hyprd's 127.0.0.1 is), images pushed with skopeo there. */
    static final class NsRegistry implements AutoCloseable {
        private final NetNs ns;
        private final Process process;
        private final int port;

        private NsRegistry(NetNs ns, Process process, int port) {
            this.ns = ns;
            this.process = process;
            this.port = port;
        }

        static NsRegistry start(NetNs ns, Path dir) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path config = dir.resolve("registry.yml");
            Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: error", "storage:", "  filesystem:",
                    "    rootdirectory: " + Files.createDirectories(dir.resolve("storage")), "http:", "  addr: 127.0.0.1:" + port, ""));
            List<String> cmd = new ArrayList<>(ns.prefix());
            cmd.addAll(List.of("/usr/bin/docker-registry", "serve", config.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            NsRegistry r = new NsRegistry(ns, p, port);
            NetworkCluster.await("the registry in the namespace", Duration.ofMinutes(1),
                    () -> ns.tryExec("curl", "-sf", "--max-time", "2", "http://127.0.0.1:" + port + "/v2/").exitCode(), code -> code == 0);
            return r;
        }

        /** A one-layer image of the quickstart busybox rootfs (sh as entrypoint); returns its reference. */
        String pushBusybox(Path work, String repoTag) throws IOException, InterruptedException {
            Path rootfs = NetworkCluster.ROOTFS;
            String script = String.join(" && ", "umoci init --layout app", "umoci new --image app:v1",
                    "umoci config --image app:v1 --architecture amd64 --config.env PATH=/bin:/sbin:/usr/bin:/usr/sbin"
                            + " --config.cmd /bin/sh",
                    "umoci unpack --image app:v1 b >/dev/null", "unsquashfs -q -f -d b/rootfs " + rootfs + " >/dev/null",
                    "umoci repack --image app:v1 b", "rm -rf b");
            Process build = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(work.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(build.getInputStream().readAllBytes());
            assertEquals(0, build.waitFor(), out);
            String ref = "127.0.0.1:" + port + "/" + repoTag;
            NetNs.Outcome push = ns.tryExec("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + work.resolve("app") + ":v1",
                    "docker://" + ref);
            assertEquals(0, push.exitCode(), push.output());
            return ref;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
