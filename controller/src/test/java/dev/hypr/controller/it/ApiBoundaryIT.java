package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local API's boundary as an unprivileged local user meets it: a real user made with
 * useradd, commands run through runuser. REST needs the token only root can read, names only
 * the loopback as Host, never shows env values; the socket refuses the user and hyprctl says
 * so; REST has no write verbs and listens on loopback only.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ApiBoundaryIT {
    static final String SECRET = "hunter2-" + ProcessHandle.current().pid();
    static Path base;
    static HyprdProcess hyprd;
    static HyprGrpc.HyprBlockingStub api;
    static String user;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        base = Files.createTempDirectory("hypr-boundary");
        // others may pass through to the socket: what refuses them must be the socket's own mode
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        user = "hyprprobe" + ProcessHandle.current().pid() % 100000;
        Run add = run(List.of("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
        assertEquals(0, add.code, add.err);
        hyprd = HyprdProcess.start(base.resolve("home"));
        api = hyprd.client();
        api.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setSource("secret.yaml:1:1").setJson("""
                {"apiVersion":"hypr.dev/v1alpha1","kind":"VM","metadata":{"name":"secretive"},
                 "spec":{"rootfs":"%s","network":"none","running":false,"command":["/bin/true"],
                         "env":[{"name":"PASSWORD","value":"%s"}]}}""".formatted(base.resolve("missing.squashfs"), SECRET))).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            hyprd.close();
        }
        if (user != null) {
            run(List.of("userdel", user));
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + hyprd.restPort() + path;
    }

    /** curl as the unprivileged user: headers and body on stdout, the status code on the last line. */
    private static Run curlAsUser(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", "curl", "-s", "-i", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static int status(Run curl) {
        String[] lines = curl.out.strip().split("\n");
        return Integer.parseInt(lines[lines.length - 1].strip());
    }

    @Test
    void restRefusesCallersWithoutTheToken() throws Exception {
        Run none = curlAsUser(url("/apis/hypr.dev/v1alpha1/vms"));
        assertEquals(401, status(none), none.out);
        assertTrue(none.out.toLowerCase().contains("www-authenticate: bearer"), none.out);
        assertTrue(none.out.contains("\"reason\":\"Unauthorized\""), none.out);
        assertFalse(none.out.contains(SECRET) || none.out.contains("secretive"), none.out);
        Run wrong = curlAsUser("-H", "Authorization: Bearer " + "0".repeat(64), url("/apis/hypr.dev/v1alpha1/vms/secretive"));
        assertEquals(401, status(wrong), wrong.out);
        Run unknownPath = curlAsUser(url("/q/anything"));
        assertEquals(401, status(unknownPath), "nothing is served without the token: " + unknownPath.out);
    }

    @Test
    void theTokenFileIsReadableByRootAlone() throws Exception {
        Path token = hyprd.home().resolve("rest-token");
        PosixFileAttributes a = Files.readAttributes(token, PosixFileAttributes.class);
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        assertEquals("root", a.owner().getName());
        assertTrue(hyprd.restToken().matches("[0-9a-f]{64}"), "256 random bits, hex");
        Run cat = run(List.of("runuser", "-u", user, "--", "cat", token.toString()));
        assertNotEquals(0, cat.code);
        assertTrue(cat.err.contains("Permission denied"), cat.err);
        assertFalse(cat.out.contains(hyprd.restToken()));
    }

    @Test
    void aHostThatIsNotTheLoopbackIsRefusedEvenWithTheToken() throws Exception {
        String auth = "Authorization: Bearer " + hyprd.restToken();
        Run rebound = curlAsUser("-H", auth, "-H", "Host: evil.example", url("/apis/hypr.dev/v1alpha1/vms/secretive"));
        assertEquals(421, status(rebound), rebound.out);
        assertFalse(rebound.out.contains(SECRET) || rebound.out.contains("\"spec\""), rebound.out);
        Run withPort = curlAsUser("-H", auth, "-H", "Host: evil.example:" + hyprd.restPort(), url("/apis/hypr.dev/v1alpha1/vms"));
        assertEquals(421, status(withPort), withPort.out);
        for (String host : List.of("localhost", "localhost:" + hyprd.restPort(), "127.0.0.1:" + hyprd.restPort(), "[::1]:" + hyprd.restPort())) {
            Run ok = curlAsUser("-H", auth, "-H", "Host: " + host, url("/apis/hypr.dev/v1alpha1/vms"));
            assertEquals(200, status(ok), host + ": " + ok.out);
        }
    }

    @Test
    void envValuesAreRedactedForAuthorizedCallersToo() throws Exception {
        String auth = "Authorization: Bearer " + hyprd.restToken();
        Run one = curlAsUser("-H", auth, url("/apis/hypr.dev/v1alpha1/vms/secretive"));
        assertEquals(200, status(one), one.out);
        assertFalse(one.out.contains(SECRET), one.out);
        assertTrue(one.out.contains("{\"name\":\"PASSWORD\",\"value\":\"<redacted>\"}"), one.out);
        Run list = curlAsUser("-H", auth, url("/apis/hypr.dev/v1alpha1/vms"));
        assertEquals(200, status(list), list.out);
        assertFalse(list.out.contains(SECRET), list.out);
        assertTrue(list.out.contains("secretive"), list.out);
        // root on the socket gets the object as stored
        JsonNode stored = Json.parseObject(api.get(GetRequest.newBuilder().setKind("vm").setName("secretive").build()).getJson());
        assertEquals(SECRET, stored.path("spec").path("env").path(0).path("value").asText());
        // metrics stay open on loopback: they carry counts, no names and no values
        Run metrics = curlAsUser("http://127.0.0.1:" + hyprd.metricsPort() + "/metrics");
        assertEquals(200, status(metrics));
        assertTrue(metrics.out.contains("hypr_objects{kind=\"VM\"} 1.0"), metrics.out);
        assertFalse(metrics.out.contains(SECRET) || metrics.out.contains("secretive"));
    }

    @Test
    void restHasNoWriteVerbs() throws Exception {
        String auth = "Authorization: Bearer " + hyprd.restToken();
        for (String verb : List.of("PUT", "POST", "DELETE", "PATCH")) {
            Run r = curlAsUser("-X", verb, "-H", auth, "-H", "Content-Type: application/json", "-d", "{}",
                    url("/apis/hypr.dev/v1alpha1/vms/secretive"));
            assertEquals(405, status(r), verb + ": " + r.out);
        }
        assertEquals("secretive", Json.parseObject(api.get(GetRequest.newBuilder().setKind("vm").setName("secretive").build())
                .getJson()).path("metadata").path("name").asText());
    }

    @Test
    void restAndMetricsListenOnTheLoopbackOnly() throws Exception {
        for (int port : List.of(hyprd.restPort(), hyprd.metricsPort())) {
            Run ss = run(List.of("ss", "-Hltn", "sport = :" + port));
            assertEquals(0, ss.code, ss.err);
            List<String> listeners = ss.out.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, listeners.size(), ss.out);
            // 127.0.0.1, or the same as an IPv4-mapped address of a dual-stack socket: never a wildcard
            assertTrue(listeners.get(0).matches(".*\\s(127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1\\]):" + port + "\\s.*"), ss.out);
        }
    }

    @Test
    void theSocketRefusesOtherUsersAndHyprctlSaysPermissionDenied() throws Exception {
        PosixFileAttributes a = Files.readAttributes(hyprd.socket(), PosixFileAttributes.class);
        assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
        Run get = asUser(Map.of("HYPR_SOCKET", hyprd.socket().toString()), HyprdProcess.root().resolve("bin/hyprctl").toString(),
                "get", "vms");
        assertEquals(1, get.code, get.err);
        assertTrue(get.err.startsWith("error: permission denied on the socket " + hyprd.socket() + " ("), get.err);
        assertTrue(get.err.contains("): run as root or join the 'hypr' group"), get.err);
        assertFalse(get.err.contains("cannot reach"), get.err);
        assertFalse(get.out.contains("secretive"));
    }

    @Test
    void anAbsentSocketIsADaemonThatIsNotRunning() throws Exception {
        Path none = base.resolve("none.sock");
        Run get = asUser(Map.of("HYPR_SOCKET", none.toString()), HyprdProcess.root().resolve("bin/hyprctl").toString(), "get", "vms");
        assertEquals(1, get.code);
        assertEquals("error: cannot reach hyprd at " + none + ": is it running?\n", get.err);
    }

    @Test
    void execOnAVmThatIsNotRunningSaysItsPhaseNotThatHyprdIsDown() throws Exception {
        Hyprctl cli = new Hyprctl(hyprd.socket(), base);
        Hyprctl.Run exec = cli.run("exec", "secretive", "--", "true");
        assertEquals(1, exec.exitCode(), exec.toString());
        assertTrue(exec.stderr().startsWith("error: vm/secretive is not running (phase "), exec.toString());
        assertFalse(exec.stderr().contains("cannot reach"), exec.toString());
        Hyprctl.Run missing = cli.run("exec", "nosuchvm", "--", "true");
        assertTrue(missing.stderr().contains("vm \"nosuchvm\" not found"), missing.toString());
        // every connection used to log Netty's complaint about a TCP option on the Unix socket
        assertFalse(hyprd.output().contains("Unknown channel option"), hyprd.output());
    }

    @Test
    void withAHyprGroupTheSocketIsItsAndItsMembersGetIn() throws Exception {
        boolean created = run(List.of("getent", "group", "hypr")).code != 0;
        if (created) {
            Run add = run(List.of("groupadd", "hypr"));
            assertEquals(0, add.code, add.err);
        }
        // home named hypr: the socket's own directory, which hyprd opens to the group
        try (HyprdProcess grouped = HyprdProcess.start(base.resolve("g/hypr"))) {
            Files.setPosixFilePermissions(base.resolve("g"), PosixFilePermissions.fromString("rwx--x--x"));
            PosixFileAttributes a = Files.readAttributes(grouped.socket(), PosixFileAttributes.class);
            assertEquals("hypr", a.group().getName());
            assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
            String hyprctl = HyprdProcess.root().resolve("bin/hyprctl").toString();
            Map<String, String> env = Map.of("HYPR_SOCKET", grouped.socket().toString());
            assertTrue(asUser(env, hyprctl, "get", "vms").err.contains("permission denied"), "not a member yet");
            Run join = run(List.of("usermod", "-a", "-G", "hypr", user));
            assertEquals(0, join.code, join.err);
            Run member = asUser(env, hyprctl, "get", "vms");
            assertEquals(0, member.code, member.err);
        } finally {
            run(List.of("gpasswd", "-d", user, "hypr"));
            if (created) {
                run(List.of("groupdel", "hypr"));
            }
        }
    }

    private static Run asUser(Map<String, String> env, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", user, "--", "env"));
        env.forEach((k, v) -> full.add(k + "=" + v));
        full.addAll(List.of(cmd));
        return run(full);
    }

    private static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(base.toFile()).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
