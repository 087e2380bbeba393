package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Health checks against a real hyprd, QEMU and Kestrel: a failing probe keeps Ready False with
 * its output in the condition and flips once it passes; failures in the start period do not
 * count; a hung probe is killed at its timeout; onUnhealthy: restart restarts the workload.
 * The four VMs boot together to keep the class short under TCG.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmHealthIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final List<String> VMS = List.of("flip", "startup", "hung", "liveness");

    private static Path tmp;
    private static HyprdProcess hyprd;
    private static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        GuestArtifacts.require();
        tmp = Files.createTempDirectory("hypr-health-it");
        hyprd = HyprdProcess.start(tmp.resolve("home"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
        Path manifest = tmp.resolve("vms.yaml");
        Files.writeString(manifest, vm("flip", "sleep 1000", """
                    exec: {shell: "test -f /tmp/ok || { echo no /tmp/ok yet; exit 3; }"}
                    periodSeconds: 2
                    failureThreshold: 2
                    successThreshold: 2
                """) + "---\n" + vm("startup", "sleep 1000", """
                    exec: {command: ["sh", "-c", "echo still starting; exit 1"]}
                    periodSeconds: 1
                    failureThreshold: 1
                    startPeriodSeconds: 15
                """) + "---\n" + vm("hung", "sleep 1000", """
                    exec: {command: ["sleep", "100"]}
                    periodSeconds: 2
                    timeoutSeconds: 1
                    failureThreshold: 1
                """) + "---\n" + vm("liveness", "sleep 1000", """
                    exec: {shell: "echo dead; exit 1"}
                    periodSeconds: 1
                    failureThreshold: 2
                    onUnhealthy: restart
                """));
        Hyprctl.Run applied = hyprctl.run("apply", "-f", manifest.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
    }

    private static String vm(String name, String command, String healthcheck) {
        return """
                apiVersion: hypr.dev/v1alpha1
                kind: VM
                metadata:
                  name: %s
                spec:
                  rootfs: %s
                  command: ["sh", "-c", "%s"]
                  memoryMiB: 128
                  network: none
                  healthcheck:
                %s""".formatted(name, ROOTFS, command, healthcheck.indent(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hyprd != null) {
            for (String vm : VMS) hyprctl.run("delete", "vm", vm, "--wait", "--ignore-not-found");
            hyprd.close();
        }
        if (tmp != null) {
            try (Stream<Path> all = Files.walk(tmp)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aFailingProbeKeepsReadyFalseWithItsOutputThenPassingFlipsReady() throws Exception {
        JsonNode vm = await("flip", v -> "False".equals(condition(v, "Healthy").path("status").asText()), Duration.ofSeconds(90));
        assertEquals("Running", vm.path("status").path("phase").asText());
        JsonNode ready = condition(vm, "Ready");
        assertEquals("False", ready.path("status").asText(), vm.toString());
        assertEquals("Unhealthy", ready.path("reason").asText(), vm.toString());
        assertTrue(ready.path("message").asText().contains("no /tmp/ok yet"), ready.toString());
        assertTrue(condition(vm, "Healthy").path("message").asText().contains("no /tmp/ok yet"), vm.toString());
        JsonNode last = lastProbe(vm);
        assertEquals(3, last.path("exitCode").asInt(), last.toString());
        assertTrue(hyprctl.run("get", "vms", "flip").stdout().contains("0/1 (unhealthy)"), hyprctl.run("get", "vms").stdout());

        Hyprctl.Run touched = hyprctl.run("exec", "flip", "--", "sh", "-c", ": > /tmp/ok");
        assertEquals(0, touched.exitCode(), touched.toString());
        // successThreshold 2: Healthy turns True at the second pass in a row, not the first
        JsonNode turned = await("flip", v -> "True".equals(condition(v, "Healthy").path("status").asText()), Duration.ofSeconds(60));
        List<JsonNode> log = new java.util.ArrayList<>();
        turned.path("status").path("health").path("log").forEach(log::add);
        int lastFail = -1;
        for (int i = 0; i < log.size(); i++) {
            if (!"pass".equals(log.get(i).path("result").asText())) lastFail = i;
        }
        assertTrue(lastFail >= 0 && log.size() - lastFail - 1 >= 2, "two passes after the failures: " + turned);
        Instant secondPass = Instant.parse(log.get(lastFail + 2).path("time").asText());
        Instant transition = Instant.parse(condition(turned, "Healthy").path("lastTransitionTime").asText());
        assertTrue(!transition.isBefore(secondPass.minusMillis(999)), "Healthy at " + transition + ", second pass at " + secondPass);
        // each transition is an event: Warning when it failed, Normal when it passes
        String events = hyprctl.run("get", "events").stdout();
        assertTrue(events.lines().anyMatch(l -> l.contains("Warning") && l.contains("Unhealthy") && l.contains("flip")), events);
        assertTrue(events.lines().anyMatch(l -> l.contains("Normal") && l.contains("Healthy") && !l.contains("Unhealthy")
                && l.contains("flip")), events);
        Hyprctl.Run healthy = hyprctl.run("wait", "vm/flip", "--for=condition=Healthy", "--timeout=60s");
        assertEquals(0, healthy.exitCode(), healthy + "\n" + get("flip"));
        Hyprctl.Run readyNow = hyprctl.run("wait", "vm/flip", "--for=condition=Ready", "--timeout=10s");
        assertEquals(0, readyNow.exitCode(), readyNow.toString());
        assertTrue(hyprctl.run("get", "vms", "flip").stdout().contains("1/1"));
        String described = hyprctl.run("describe", "vm", "flip").stdout();
        assertTrue(described.contains("Health:") && described.contains("no /tmp/ok yet") && described.contains("pass"), described);
        assertTrue(get("flip").orElseThrow().path("status").path("health").path("log").size() <= HealthState.LOG_SIZE);
    }

    @Test
    @Order(0) // first: its start period is running while the VMs boot
    void failuresInTheStartPeriodDoNotCount() throws Exception {
        // failureThreshold 1 and a probe that always fails: only the start period keeps it from unhealthy
        JsonNode starting = await("startup", v -> v.path("status").path("health").path("log").size() >= 2, Duration.ofSeconds(90));
        assertEquals("starting", starting.path("status").path("health").path("status").asText(), starting.toString());
        assertEquals("Unknown", condition(starting, "Healthy").path("status").asText(), starting.toString());
        assertEquals("HealthCheckStarting", condition(starting, "Ready").path("reason").asText(), starting.toString());
        JsonNode unhealthy = await("startup", v -> "False".equals(condition(v, "Healthy").path("status").asText()), Duration.ofSeconds(60));
        List<JsonNode> log = new java.util.ArrayList<>();
        unhealthy.path("status").path("health").path("log").forEach(log::add);
        Instant first = firstProbeTime(starting);
        Instant failed = Instant.parse(condition(unhealthy, "Healthy").path("lastTransitionTime").asText());
        assertTrue(Duration.between(first, failed).toMillis() >= 12000,
                "unhealthy " + Duration.between(first, failed) + " after the first probe; start period is 15 s: " + unhealthy);
        assertTrue(condition(unhealthy, "Healthy").path("message").asText().contains("still starting"), unhealthy.toString());
    }

    @Test
    void aHungProbeIsTimedOut() throws Exception {
        JsonNode vm = await("hung", v -> "False".equals(condition(v, "Healthy").path("status").asText()), Duration.ofSeconds(90));
        JsonNode last = lastProbe(vm);
        assertEquals("timeout", last.path("result").asText(), vm.toString());
        assertEquals(-1, last.path("exitCode").asInt(), vm.toString());
        assertTrue(last.path("output").asText().contains("timed out after 1000 ms"), vm.toString());
        // the killed probe is gone: no `sleep 100` keeps running in the guest
        Hyprctl.Run ps = hyprctl.run("exec", "hung", "--", "sh", "-c",
                "for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr '\\0' ' '; echo; done");
        assertEquals(0, ps.exitCode(), ps.toString());
        long sleepers = ps.stdout().lines().filter(l -> l.trim().equals("sleep 100")).count();
        assertTrue(sleepers <= 1, "hung probes pile up: " + ps.stdout()); // at most the one running now
    }

    @Test
    void onUnhealthyRestartRestartsTheWorkload() throws Exception {
        JsonNode vm = await("liveness", v -> v.path("status").path("workloadRestarts").asInt() >= 1, Duration.ofSeconds(120));
        assertEquals("Running", vm.path("status").path("phase").asText(), vm.toString());
        assertTrue(vm.path("status").path("health").path("log").size() >= 1, vm.toString());
        assertEquals(0, vm.path("status").path("restartCount").asInt(), "the workload restarts in the guest, not the VM: " + vm);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it restarts hyprd
    void aRestartedHyprdKeepsAnUnhealthyVmNotReady() throws Exception {
        await("startup", v -> "False".equals(condition(v, "Healthy").path("status").asText()), Duration.ofSeconds(90));
        hyprd.kill9();
        hyprd.launch();
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        JsonNode vm = null;
        while (System.nanoTime() < until) {
            Optional<JsonNode> now = get("startup");
            if (now.isPresent()) {
                vm = now.get();
                assertTrue(!"True".equals(condition(vm, "Ready").path("status").asText()), "Ready flipped after adoption: " + vm);
            }
            Thread.sleep(100);
        }
        vm = await("startup", v -> "False".equals(condition(v, "Healthy").path("status").asText())
                && v.path("status").path("health").path("log").size() > 0, Duration.ofSeconds(30));
        assertEquals("Unhealthy", condition(vm, "Ready").path("reason").asText(), vm.toString());
    }

    private static JsonNode lastProbe(JsonNode vm) {
        JsonNode log = vm.path("status").path("health").path("log");
        assertTrue(log.size() > 0, vm.toString());
        return log.get(log.size() - 1);
    }

    private static Instant firstProbeTime(JsonNode vm) {
        return Instant.parse(vm.path("status").path("health").path("log").get(0).path("time").asText());
    }

    private static JsonNode condition(JsonNode vm, String type) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) return c;
        }
        return Json.MAPPER.createObjectNode();
    }

    private static Optional<JsonNode> get(String name) {
        try {
            return Optional.of(Json.parseObject(hyprd.client().get(GetRequest.newBuilder().setKind("VM").setName(name).build()).getJson()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    private static JsonNode await(String name, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<JsonNode> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = get(name);
            if (last.isPresent() && done.test(last.get())) return last.get();
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not get there in " + timeout + ": " + last.map(JsonNode::toString).orElse("absent")
                + "\n" + hyprd.output());
    }
}
