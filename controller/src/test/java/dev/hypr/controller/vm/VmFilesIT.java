package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * spec.secrets at a custom path, spec.files (inline and from a host file), stopSignal and
 * maxRestarts against a real hyprd and QEMU: owners, modes and contents as the workload sees
 * them; a secret outside /run/secrets still lives on tmpfs and never in a command line, status,
 * event or log; a file that cannot be written fails the VM with a condition and an event; the
 * workload gets SIGQUIT on stop; OnFailure with maxRestarts 2 ends Failed after exactly 2 restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VmFilesIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final String DB_PASSWORD = "db-pass-51f0c";
    private static final Duration BOOT = Duration.ofMinutes(2);

    private static Path tmp;
    private static HyprdProcess hyprd;
    private static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        GuestArtifacts.require();
        tmp = Files.createTempDirectory("hypr-files-it");
        hyprd = HyprdProcess.start(tmp.resolve("home"), List.of(), Map.of("HYPR_AOT", "0"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            for (String vm : List.of("files", "badfile", "quitter", "flaky")) hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found");
            hyprd.close();
        }
        if (tmp != null) {
            dev.hypr.controller.util.FileTrees.deleteRecursively(tmp);
        }
    }

    @Test
    @Order(0)
    void aSecretAtItsOwnPathAndFilesFromContentAndAHostFileHaveTheirOwnerModeAndContent() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.createDirectories(app.resolve("secrets"));
        Files.createDirectories(app.resolve("conf"));
        Files.writeString(app.resolve("secrets/db"), DB_PASSWORD);
        Files.writeString(app.resolve("conf/app.json"), "{\"mode\":\"prod\"}\n");
        Path manifest = app.resolve("vm.yaml");
        Files.writeString(manifest, """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: files
                spec:
                  rootfs: %s
                  command: ["sleep", "1000"]
                  network: none
                  secrets:
                  - {name: db, file: ./secrets/db, mountPath: /etc/app/db.pw, gid: 100, mode: "0440"}
                  files:
                  - {path: /etc/app/app.conf, content: "greeting=hello\\n"}
                  - {path: /srv/conf/nested/app.json, hostPath: ./conf/app.json, uid: 1000, gid: 1000, mode: "0640"}
                """.formatted(ROOTFS));
        Hyprctl.Run applied = hyprctl.run("apply", "-f", manifest.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        JsonNode vm = await("files", VmFilesIT::ready, BOOT);

        Hyprctl.Run ls = hyprctl.run("exec", "files", "--", "ls", "-ln", "/etc/app/db.pw", "/etc/app/app.conf", "/srv/conf/nested/app.json");
        assertEquals(0, ls.exitCode(), ls.toString());
        Map<String, String> owners = owners(ls.stdout());
        assertEquals("-r--r----- 0 100", owners.get("/etc/app/db.pw"), ls.stdout());
        assertEquals("-r--r--r-- 0 0", owners.get("/etc/app/app.conf"), "a file's default: 0444, the workload's user");
        assertEquals("-rw-r----- 1000 1000", owners.get("/srv/conf/nested/app.json"), ls.stdout());

        Hyprctl.Run cat = hyprctl.run("exec", "files", "--", "cat", "/etc/app/db.pw", "/etc/app/app.conf", "/srv/conf/nested/app.json");
        assertEquals(DB_PASSWORD + "greeting=hello\n{\"mode\":\"prod\"}\n", cat.stdout(), cat.toString());

        Hyprctl.Run mounts = hyprctl.run("exec", "files", "--", "grep", " /etc/app/db.pw ", "/proc/mounts");
        assertTrue(mounts.stdout().startsWith("tmpfs /etc/app/db.pw tmpfs "), "outside tmpfs a secret is bind-mounted from tmpfs: "
                + mounts);

        long pid = vm.path("status").path("pid").asLong();
        String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        String vmmCmd = Files.readString(hyprd.home().resolve("runtime/vms/files/vmm.cmd"));
        String shown = cmdline + vmmCmd + Json.write(vm) + hyprctl.run("describe", "vm", "files").stdout()
                + hyprctl.run("get", "events").stdout() + hyprctl.run("get", "vm", "files", "-o", "yaml").stdout() + hyprd.output();
        assertFalse(shown.contains(DB_PASSWORD), "the secret is shown somewhere: " + shown);
    }

    @Test
    @Order(1)
    void aFileThatCannotBeWrittenFailsTheVmWithAConditionAndAnEvent() throws Exception {
        apply("badfile", """
                  command: ["sleep", "1000"]
                  files:
                  - {path: /etc, content: "not a directory"}
                """);
        JsonNode vm = await("badfile", v -> "FileWriteFailed".equals(readyCondition(v).path("reason").asText()), BOOT);
        assertEquals("Failed", vm.path("status").path("phase").asText());
        String message = readyCondition(vm).path("message").asText();
        assertTrue(message.contains("/etc is a directory") && message.contains("did not run"), message);
        String events = hyprctl.run("get", "events").stdout();
        assertTrue(events.contains("FileWriteFailed"), events);
    }

    @Test
    @Order(2)
    void theWorkloadGetsItsStopSignalWhenTheVmIsStopped() throws Exception {
        String spec = """
                  command: ["sh", "-c", "trap 'echo got-SIGQUIT; exit 0' QUIT; trap 'echo got-SIGTERM; exit 0' TERM; echo trapping; while :; do sleep 1; done"]
                  stopSignal: SIGQUIT
                  stopTimeoutSeconds: 30
                """;
        apply("quitter", spec);
        await("quitter", VmFilesIT::ready, BOOT);
        awaitLog("quitter", l -> l.contains("trapping"));
        apply("quitter", spec + "  running: false\n");
        await("quitter", v -> "Stopped".equals(v.path("status").path("phase").asText()), BOOT);
        String log = awaitLog("quitter", l -> l.contains("got-"));
        assertTrue(log.contains("got-SIGQUIT") && !log.contains("got-SIGTERM"), log);
    }

    @Test
    @Order(3)
    void onFailureWithMaxRestartsTwoEndsFailedAfterExactlyTwoRestarts() throws Exception {
        apply("flaky", """
                  command: ["sh", "-c", "echo attempt; exit 1"]
                  restartPolicy: OnFailure
                  maxRestarts: 2
                """);
        JsonNode vm = await("flaky", v -> "RestartLimitReached".equals(readyCondition(v).path("reason").asText()), BOOT);
        JsonNode status = vm.path("status");
        assertEquals("Failed", status.path("phase").asText());
        assertEquals(2, status.path("workloadRestarts").asInt(), status.toString());
        assertEquals(1, status.path("lastExitCode").asInt(), status.toString());
        assertEquals(0, status.path("restartCount").asInt(0), "hyprd does not reboot it: " + status);
        String message = readyCondition(vm).path("message").asText();
        assertTrue(message.contains("after 2 restarts (maxRestarts 2)"), message);
        String log = hyprctl.run("logs", "flaky").stdout();
        assertEquals(3, log.split("attempt", -1).length - 1, log);
        String events = hyprctl.run("get", "events").stdout();
        assertTrue(events.contains("RestartLimitReached"), events);
    }

    /** "PATH" → "PERMISSIONS UID GID" from ls -ln. */
    private static Map<String, String> owners(String ls) {
        Map<String, String> out = new HashMap<>();
        for (String line : ls.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4) out.put(f[f.length - 1], f[0] + " " + f[2] + " " + f[3]);
        }
        return out;
    }

    private static void apply(String name, String specLines) throws Exception {
        Path manifest = tmp.resolve(name + ".yaml");
        Files.writeString(manifest, """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: %s
                spec:
                  rootfs: %s
                  network: none
                """.formatted(name, ROOTFS) + specLines);
        Hyprctl.Run r = hyprctl.run("apply", "-f", manifest.toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static String awaitLog(String vm, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + BOOT.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            log = hyprctl.run("logs", vm).stdout();
            if (done.test(log)) return log;
            Thread.sleep(200); // polling interval, not a wait for an outcome
        }
        throw new AssertionError("log of " + vm + " never matched: " + log);
    }

    private static JsonNode await(String name, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        return hyprd.await("VM", name, done, timeout);
    }

    private static boolean ready(JsonNode vm) {
        return "True".equals(readyCondition(vm).path("status").asText());
    }

    private static JsonNode readyCondition(JsonNode vm) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) return c;
        }
        return Json.MAPPER.createObjectNode();
    }
}
