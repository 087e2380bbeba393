package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.model.VmSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmStatusBuilderTest {
    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
    private static final VmSpec SPEC = new VmSpec(null, "/r.squashfs", null, java.util.List.of("sh"), null, null, null, null,
            null, null, null, null, null, "Always", null, null, null, null, null);

    @TempDir
    Path tmp;

    private ObjectNode vm() {
        return Json.parseObject("{\"metadata\":{\"name\":\"web\",\"generation\":3},\"spec\":{}}");
    }

    private static JsonNode ready(ObjectNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c;
            }
        }
        throw new AssertionError("no Ready condition in " + status);
    }

    private ObjectNode build(VmObserved seen) {
        return VmStatusBuilder.from(vm(), NOW).build(seen, new VmRuntimeDir(tmp.resolve("web")), null, SPEC);
    }

    @Test
    void beforeAnyBootRestartCountIsZeroAndNotReady() {
        ObjectNode s = build(VmObserved.nothing());
        assertEquals(0, s.path("restartCount").asInt(-1));
        assertEquals(3, s.path("observedGeneration").asLong());
        assertEquals("Pending", s.path("phase").asText());
        assertEquals("False", ready(s).path("status").asText());
    }

    @Test
    void runningFalseShowsStoppedEvenBeforeAnyBoot() {
        VmSpec stopped = new VmSpec(null, "/r.squashfs", null, java.util.List.of("sh"), null, null, null, null,
                null, null, null, null, null, "Always", false, null, null, null);
        ObjectNode s = VmStatusBuilder.from(vm(), NOW).build(VmObserved.nothing(), new VmRuntimeDir(tmp.resolve("web")), null, stopped);
        assertEquals("Stopped", s.path("phase").asText(), "docs/vms.md: running: false shows Stopped");
        assertEquals("Stopped", ready(s).path("reason").asText());
        assertEquals("False", ready(s).path("status").asText());
    }

    @Test
    void aLiveProcessAloneIsNotReady() {
        ObjectNode s = build(new VmObserved(true, Optional.of("h"), true, false, Optional.empty()));
        assertEquals("Starting", s.path("phase").asText());
        assertEquals("False", ready(s).path("status").asText());
        assertEquals("Booting", ready(s).path("reason").asText());
    }

    @Test
    void readyOnceKestrelReportsTheWorkload() {
        ObjectNode s = build(new VmObserved(true, Optional.of("h"), true, true, Optional.empty()));
        assertEquals("Running", s.path("phase").asText());
        assertEquals("True", ready(s).path("status").asText());
    }

    @Test
    void everyNicIsListedWithTheFirstAsIpAndAddressesOnlyWhileRunning() {
        var nics = java.util.List.of(
                new dev.hypr.controller.net.bridge.BridgeAttachment("front", 0, "hyt-1", "02:68:79:5a:00:02", "10.90.0.2", 24, "10.90.0.1"),
                new dev.hypr.controller.net.bridge.BridgeAttachment("back", 1, "hyt-2", "02:69:79:5b:00:07", "10.91.0.7", 24, "10.91.0.1"));
        VmStatusBuilder running = VmStatusBuilder.from(vm(), NOW);
        running.addresses(nics);
        ObjectNode s = running.build(new VmObserved(true, Optional.of("h"), true, true, Optional.empty()),
                new VmRuntimeDir(tmp.resolve("web")), null, SPEC);
        assertEquals("10.90.0.2", s.path("ip").asText());
        assertEquals("02:68:79:5a:00:02", s.path("mac").asText());
        assertEquals(Json.parseObject("{\"n\":[{\"name\":\"front\",\"ip\":\"10.90.0.2\",\"mac\":\"02:68:79:5a:00:02\",\"interface\":\"eth0\"},"
                + "{\"name\":\"back\",\"ip\":\"10.91.0.7\",\"mac\":\"02:69:79:5b:00:07\",\"interface\":\"eth1\"}]}").get("n"),
                s.path("networks"));
        VmStatusBuilder stopped = VmStatusBuilder.from(vm(), NOW);
        stopped.addresses(nics);
        ObjectNode down = stopped.build(VmObserved.nothing(), new VmRuntimeDir(tmp.resolve("web")), null, SPEC);
        assertEquals(false, down.has("ip"));
        assertEquals(false, down.path("networks").get(1).has("ip"), "no address while it does not run, as status.ip");
        assertEquals("eth1", down.path("networks").get(1).path("interface").asText());
    }

    @Test
    void restartsAreCounted() {
        VmStatusBuilder b = VmStatusBuilder.from(vm(), NOW);
        b.restarted("the VMM exited unexpectedly");
        ObjectNode s = b.build(VmObserved.nothing(), new VmRuntimeDir(tmp.resolve("web")), null, SPEC);
        assertEquals(1, s.path("restartCount").asInt());
    }

    @Test
    void aFailureNamesItsReason() {
        VmStatusBuilder b = VmStatusBuilder.from(vm(), NOW);
        b.failed("KernelNotFound", "kernel /nope not found");
        ObjectNode s = b.build(VmObserved.nothing(), new VmRuntimeDir(tmp.resolve("web")), null, SPEC);
        assertEquals("Failed", s.path("phase").asText());
        assertEquals("KernelNotFound", ready(s).path("reason").asText());
        assertEquals("kernel /nope not found", ready(s).path("message").asText());
    }

    @Test
    void aShareTheGuestCouldNotMountIsHostPathMountFailedNotRootfs() throws Exception {
        VmRuntimeDir dir = new VmRuntimeDir(java.nio.file.Files.createDirectories(tmp.resolve("web")));
        dir.recordFailure("share: mount hypr-0 on /data (virtiofs): No such device");
        ObjectNode s = VmStatusBuilder.from(vm(), NOW).build(new VmObserved(true, Optional.of("h"), false, false,
                Optional.of(VmObserved.Ending.ROOTFS_MOUNT_FAILED)), dir, null, SPEC);
        assertEquals("Failed", s.path("phase").asText());
        assertEquals("HostPathMountFailed", ready(s).path("reason").asText());
        assertEquals("the guest could not mount a hostPath share (mount hypr-0 on /data (virtiofs): No such device); "
                + "not retried until the spec changes or the VM is re-created", ready(s).path("message").asText());
    }
}
