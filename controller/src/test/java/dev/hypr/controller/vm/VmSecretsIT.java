package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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
 * Secrets against a real hyprd and QEMU: env values and secret files reach the workload but
 * never a process command line, vmm.cmd, status, events, describe or hyprd's log; a missing
 * secret file is a condition and an event; NUL in args/env is refused at apply.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VmSecretsIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final String PASSWORD = "hunter2";
    private static final String API_KEY = "s3cr3t-api-key-7f3a";
    private static final String DB_PASSWORD = "db-pass-9c1e";

    private static Path tmp;
    private static HyprdProcess hyprd;
    private static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        GuestArtifacts.require();
        tmp = Files.createTempDirectory("hypr-secrets-it");
        hyprd = HyprdProcess.start(tmp.resolve("home"), List.of(), java.util.Map.of("HYPR_AOT", "0"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            for (String vm : List.of("secret", "nosecret")) hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found");
            hyprd.close();
        }
        if (tmp != null) {
            dev.hypr.controller.util.FileTrees.deleteRecursively(tmp);
        }
    }

    @Test
    @Order(0)
    void secretsReachTheWorkloadButNoCommandLineStatusEventOrLog() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app/secrets"));
        Files.writeString(app.resolve("api-key"), API_KEY);
        Files.writeString(app.resolve("db"), DB_PASSWORD + "\n");
        Path manifest = tmp.resolve("app/vm.yaml");
        Files.writeString(manifest, """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: secret
                spec:
                  rootfs: %s
                  command: ["sh", "-c", "echo \\"$PASSWORD|$API_KEY\\" > /tmp/env; exec sleep 1000"]
                  network: none
                  env:
                  - {name: PASSWORD, value: %s}
                  - name: API_KEY
                    valueFrom: {secretFile: secrets/api-key}
                  secrets:
                  - {name: db, file: ./secrets/db}
                """.formatted(ROOTFS, PASSWORD));
        Hyprctl.Run applied = hyprctl.run("apply", "-f", manifest.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        JsonNode vm = await("secret", VmSecretsIT::ready, Duration.ofSeconds(60));

        Hyprctl.Run env = hyprctl.run("exec", "secret", "--", "sh", "-c", "cat /tmp/env /run/secrets/db");
        assertEquals(0, env.exitCode(), env.toString());
        assertEquals(PASSWORD + "|" + API_KEY + "\n" + DB_PASSWORD + "\n", env.stdout());

        long pid = vm.path("status").path("pid").asLong();
        String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        assertTrue(cmdline.contains("qemu") && cmdline.contains("hypr.cfg="), cmdline);
        Path runtime = hyprd.home().resolve("runtime/vms/secret");
        String vmmCmd = Files.readString(runtime.resolve("vmm.cmd"));
        for (String where : List.of(cmdline, vmmCmd)) {
            for (String secret : List.of(PASSWORD, API_KEY, DB_PASSWORD)) assertFalse(where.contains(secret), secret + " in " + where);
            String bootConfig = decodedBootConfig(where);
            assertFalse(bootConfig.contains("env=") || bootConfig.contains("arg="), "workload config on the kernel command line: " + bootConfig);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.resolve("workload.cfg"))));

        String shown = Json.write(vm) + hyprctl.run("describe", "vm", "secret").stdout() + hyprctl.run("get", "events").stdout()
                + hyprctl.run("get", "vm", "secret", "-o", "yaml").stdout() + hyprd.output();
        for (String secret : List.of(API_KEY, DB_PASSWORD)) assertFalse(shown.contains(secret), secret + " shown: " + shown);
        assertTrue(shown.contains(app.resolve("api-key").toString()), "the object keeps the resolved path, not the value");
    }

    @Test
    @Order(1)
    void aMissingSecretFileIsAConditionAndAnEventNamingTheFile() throws Exception {
        Path missing = tmp.resolve("nowhere/pw");
        Path manifest = tmp.resolve("nosecret.yaml");
        Files.writeString(manifest, """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: nosecret
                spec:
                  rootfs: %s
                  command: ["sleep", "1000"]
                  network: none
                  env:
                  - name: PASSWORD
                    valueFrom: {secretFile: %s}
                """.formatted(ROOTFS, missing));
        assertEquals(0, hyprctl.run("apply", "-f", manifest.toString()).exitCode());
        JsonNode vm = await("nosecret", v -> "SecretUnreadable".equals(readyCondition(v).path("reason").asText()), Duration.ofSeconds(30));
        String message = readyCondition(vm).path("message").asText();
        assertTrue(message.contains(missing.toString()) && message.contains("spec.env[PASSWORD]"), message);
        assertNotEquals("Running", vm.path("status").path("phase").asText());
        String events = hyprctl.run("get", "events").stdout();
        assertTrue(events.contains("SecretUnreadable") || events.contains(missing.toString()), events);
    }

    @Test
    @Order(2)
    void nulInArgsOrEnvIsRefusedByHyprctlAndByHyprd() throws Exception {
        Path manifest = tmp.resolve("nul.yaml");
        Files.writeString(manifest, """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: nul
                spec:
                  rootfs: /r.squashfs
                  command: ["sh"]
                  env: [{name: A, value: "x\\0y"}]
                """);
        Hyprctl.Run r = hyprctl.run("apply", "-f", manifest.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("nul.yaml:8:") && r.stderr().contains("VM/nul") && r.stderr().contains("spec.env[0].value")
                && r.stderr().contains("NUL"), r.stderr());

        String json = "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"nul\"},"
                + "\"spec\":{\"rootfs\":\"/r.squashfs\",\"command\":[\"sh\",\"a\\u0000b\"]}}";
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> hyprd.client().apply(ApplyRequest.newBuilder()
                .addObjects(Manifest.newBuilder().setJson(json).setSource("raw.json:1:1")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("spec.command[1]") && e.getStatus().getDescription().contains("NUL"),
                e.getStatus().getDescription());
        assertTrue(get("nul").isEmpty(), "nothing was stored");
    }

    private static String decodedBootConfig(String commandLine) {
        int at = commandLine.indexOf("hypr.cfg=");
        String value = commandLine.substring(at + "hypr.cfg=".length()).split("[\\s]")[0];
        return new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static Optional<JsonNode> get(String name) {
        return hyprd.object("VM", name);
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
