package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.WatchRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** describe, delete, diff and wait against the fake daemon. */
class LifecycleCommandsTest {
    private final CliHarness cli;

    @TempDir
    Path dir;

    LifecycleCommandsTest() throws Exception {
        cli = new CliHarness();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    private static final String READY = ",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Booted\","
            + "\"message\":\"guest agent answered\",\"lastTransitionTime\":\"2026-01-01T00:04:00Z\"}]";

    @Test
    void describeShowsMetadataSpecStatusAndConditions() {
        cli.hypr.put(Fixtures.liveVm("web", "Running", READY));
        CliHarness.Result r = cli.run("describe", "vm", "web");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("Name:               web\nKind:               VM\n"), out);
        assertTrue(out.contains("Labels:             app=web"), out);
        assertTrue(out.contains("Annotations:        <none>"), out);
        assertTrue(out.contains("Spec:\n  image: nginx:1.27\n"), out);
        assertTrue(out.contains("Status:\n  phase: Running\n"), out);
        assertTrue(out.contains("  TYPE    STATUS   REASON   MESSAGE                AGE\n"
                + "  Ready   True     Booted   guest agent answered   1m\n"), out);
        assertTrue(!out.contains("conditions:"), "conditions only as a table");
    }

    @Test
    void describeMissingObject() {
        CliHarness.Result r = cli.run("describe", "vm/nope");
        assertEquals(1, r.code());
        assertEquals("error: vm \"nope\" not found\n", r.err());
    }

    @Test
    void deleteByName() {
        cli.hypr.put(Fixtures.liveVm("web", "Running", ""));
        cli.hypr.put(Fixtures.liveVm("db", "Running", ""));
        CliHarness.Result r = cli.run("delete", "vm", "web", "db");
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web deleted\nvm/db deleted\n", r.out());
        assertTrue(cli.hypr.objects.isEmpty());
    }

    @Test
    void deleteMissingIsAnErrorUnlessIgnored() {
        CliHarness.Result r = cli.run("delete", "vm/nope");
        assertEquals(1, r.code());
        assertEquals("error: vm \"nope\" not found\n", r.err());
        assertEquals(0, cli.run("delete", "vm/nope", "--ignore-not-found").code());
    }

    @Test
    void deleteFromFile() throws Exception {
        Path f = Fixtures.write(dir, "all.yaml", Fixtures.WEB_YAML + "---\n" + Fixtures.NET_YAML);
        cli.run("apply", "-f", f.toString());
        CliHarness.Result r = cli.run("delete", "-f", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web deleted\nnetwork/backend deleted\n", r.out());
        assertEquals("Network", cli.hypr.requestsOf(DeleteRequest.class).get(1).getKind());
    }

    @Test
    void deleteWaitsUntilFinalizersAreDone() throws Exception {
        cli.hypr.put(withFinalizer(Fixtures.liveVm("web", "Running", "")));
        CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(
                () -> cli.run("delete", "vm", "web", "--wait", "--timeout=10s"));
        awaitWatch();
        assertTrue(!run.isDone(), "still waiting while the finalizer is there");
        cli.hypr.remove("VM", "web");
        CliHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web deleted\n", r.out());
    }

    @Test
    void deleteWaitTimesOut() {
        cli.hypr.put(withFinalizer(Fixtures.liveVm("web", "Running", "")));
        CliHarness.Result r = cli.run("delete", "vm", "web", "--wait", "--timeout=300ms");
        assertEquals(1, r.code());
        assertEquals("error: timed out waiting for vm/web to be deleted\n", r.err());
    }

    @Test
    void diffExitCodes() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        CliHarness.Result fresh = cli.run("diff", "-f", f.toString());
        assertEquals(1, fresh.code(), fresh.err());
        assertTrue(fresh.out().contains("--- /dev/null\n+++ file/vm/web\n@@ -0,0 +1,"), fresh.out());
        assertTrue(fresh.out().lines().filter(l -> l.startsWith("@@")).count() == 1);

        cli.run("apply", "-f", f.toString());
        CliHarness.Result same = cli.run("diff", "-f", f.toString());
        assertEquals(0, same.code(), same.out() + same.err());
        assertEquals("", same.out());

        Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML.replace("cpus: 2", "cpus: 4"));
        CliHarness.Result changed = cli.run("diff", "-f", f.toString());
        assertEquals(1, changed.code());
        assertTrue(changed.out().contains("--- live/vm/web\n+++ file/vm/web\n"), changed.out());
        assertTrue(changed.out().contains("\n-  cpus: 2\n+  cpus: 4\n"), changed.out());
    }

    @Test
    void diffIgnoresStatusAndServerMetadata() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        cli.run("apply", "-f", f.toString());
        ObjectNode live = cli.hypr.objects.get("VM/web").deepCopy();
        live.putObject("status").put("phase", "Running");
        ((ObjectNode) live.path("metadata")).put("uid", "abc").put("generation", 3);
        cli.hypr.put(Json.write(live));
        assertEquals(0, cli.run("diff", "-f", f.toString()).code());
    }

    @Test
    void diffErrorsExitTwo() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        cli.hypr.failWith = Status.UNAVAILABLE;
        CliHarness.Result r = cli.run("diff", "-f", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot reach hyprd"), r.err());
        Fixtures.write(dir, "bad.yaml", "kind: [\n");
        assertEquals(2, cli.run("diff", "-f", dir.resolve("bad.yaml").toString()).code());
    }

    @Test
    void waitForConditionThroughWatch() throws Exception {
        cli.hypr.put(Fixtures.liveVm("web", "Starting", ""));
        CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(
                () -> cli.run("wait", "vm/web", "--for=condition=Ready", "--timeout=10s"));
        awaitWatch();
        cli.hypr.put(Fixtures.liveVm("web", "Running", READY));
        CliHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web condition met\n", r.out());
        WatchRequest w = cli.hypr.requestsOf(WatchRequest.class).get(0);
        assertEquals("web", w.getName());
        assertTrue(w.getResourceVersion() > 0, "resumes after the state it already read");
    }

    @Test
    void waitAlreadyMetReturnsAtOnce() {
        cli.hypr.put(Fixtures.liveVm("web", "Running", READY));
        assertEquals(0, cli.run("wait", "vm", "web", "--for=condition=Ready", "--timeout=0s").code());
        assertEquals(0, cli.run("wait", "vm/web", "--for=jsonpath={.status.phase}=Running").code());
        assertEquals(1, cli.run("wait", "vm/web", "--for=jsonpath={.status.phase}=Stopped", "--timeout=0").code());
    }

    @Test
    void waitTimesOut() {
        cli.hypr.put(Fixtures.liveVm("web", "Starting", ""));
        CliHarness.Result r = cli.run("wait", "vm/web", "--for=condition=Ready", "--timeout=300ms");
        assertEquals(1, r.code());
        assertEquals("error: timed out waiting for the condition on vm/web\n", r.err());
    }

    @Test
    void waitForDelete() throws Exception {
        cli.hypr.put(Fixtures.liveVm("web", "Running", ""));
        CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(
                () -> cli.run("wait", "vm/web", "--for=delete", "--timeout=10s"));
        awaitWatch();
        cli.hypr.remove("VM", "web");
        CliHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertEquals(0, cli.run("wait", "vm/gone", "--for=delete").code(), "absent objects are already deleted");
    }

    @Test
    void waitForMissingObjectIsAnError() {
        CliHarness.Result r = cli.run("wait", "vm/nope", "--for=condition=Ready");
        assertEquals(1, r.code());
        assertEquals("error: vm \"nope\" not found\n", r.err());
    }

    private static String withFinalizer(String json) {
        ObjectNode obj = Json.parseObject(json);
        ((ObjectNode) obj.path("metadata")).putArray("finalizers").add("hypr.dev/vmm");
        return Json.write(obj);
    }

    private void awaitWatch() throws InterruptedException {
        for (int i = 0; i < 500 && cli.hypr.watchers.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertTrue(!cli.hypr.watchers.isEmpty(), "the command watches");
    }

    @Test
    void runWithSeveralNetworksAppliesOneNicPerNetwork() throws Exception {
        Path rootfs = java.nio.file.Files.writeString(dir.resolve("r.squashfs"), "x");
        CliHarness.Result one = cli.run("run", "--rootfs", rootfs.toString(), "--name", "solo", "--network", "back", "-d", "--", "sh");
        assertEquals(0, one.code(), one.err());
        assertEquals("back", cli.hypr.objects.get("VM/solo").at("/spec/network").asText());
        CliHarness.Result two = cli.run("run", "--rootfs", rootfs.toString(), "--name", "duo", "--network", "front", "--network", "back",
                "-d", "--", "sh");
        assertEquals(0, two.code(), two.err());
        var spec = cli.hypr.objects.get("VM/duo").path("spec");
        assertTrue(spec.path("network").isMissingNode(), spec.toString());
        assertEquals("[{\"name\":\"front\"},{\"name\":\"back\"}]", spec.path("networks").toString());
    }
}
