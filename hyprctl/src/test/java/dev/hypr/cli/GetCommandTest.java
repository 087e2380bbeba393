package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import dev.hypr.api.grpc.ListRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GetCommandTest {
    private final CliHarness cli;

    GetCommandTest() throws Exception {
        cli = new CliHarness();
    }

    @BeforeEach
    void objects() {
        cli.hypr.put(Fixtures.liveVm("web", "Running", ",\"forwards\":[{\"hostIP\":\"0.0.0.0\",\"hostPort\":8080,"
                + "\"guestPort\":80,\"protocol\":\"TCP\",\"forwarder\":\"proxy\",\"state\":\"Exposed\",\"target\":\"10.88.0.5:80\"}]"));
        cli.hypr.put(Fixtures.liveVm("db", "Stopped", ""));
        cli.hypr.put("""
                {"apiVersion":"hypr.dev/v1alpha1","kind":"Network","metadata":{"name":"backend",
                 "creationTimestamp":"2025-12-29T00:00:00Z"},"spec":{"subnet":"10.88.0.0/24","gateway":"10.88.0.1"},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void table() {
        CliHarness.Result r = cli.run("get", "vms");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                NAME   PHASE     IP          CPUS   MEMORY   READY   AGE
                db     Stopped   10.88.0.5   2      512Mi    0/1     5m
                web    Running   10.88.0.5   2      512Mi    0/1     5m
                """, r.out());
    }

    @Test
    void wideAddsColumns() {
        CliHarness.Result r = cli.run("get", "vm", "web", "-o", "wide");
        assertEquals(0, r.code(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.contains("PORTS") && header.contains("HYPERVISOR") && header.contains("PID"), header);
        assertTrue(r.out().contains("8080:80/tcp"), r.out());
        assertTrue(header.contains("FORWARDS") && r.out().contains("0.0.0.0:8080->10.88.0.5:80/tcp"), r.out());
        assertTrue(r.out().contains("4242"), r.out());
    }

    @Test
    void wideAndDescribeListEveryNetworkOfAVm() {
        cli.hypr.put(Fixtures.liveVm("multi", "Running", ",\"networks\":[{\"name\":\"front\",\"ip\":\"10.90.0.2\",\"mac\":\"02:68:79:5a:00:02\","
                + "\"interface\":\"eth0\"},{\"name\":\"back\",\"ip\":\"10.91.0.2\",\"mac\":\"02:69:79:5b:00:02\",\"interface\":\"eth1\"}]"));
        CliHarness.Result wide = cli.run("get", "vm", "multi", "-o", "wide");
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.out().lines().findFirst().orElseThrow().contains("NETWORKS"), wide.out());
        assertTrue(wide.out().contains("front=10.90.0.2,back=10.91.0.2"), wide.out());
        CliHarness.Result describe = cli.run("describe", "vm", "multi");
        assertEquals(0, describe.code(), describe.err());
        assertTrue(describe.out().matches("(?s).*Networks:\\n\\s+NETWORK\\s+INTERFACE\\s+IP\\s+MAC\\n\\s+front\\s+eth0\\s+10\\.90\\.0\\.2\\s+02:68:79:5a:00:02\\n"
                + "\\s+back\\s+eth1\\s+10\\.91\\.0\\.2\\s+02:69:79:5b:00:02\\n.*"), describe.out());
    }

    @Test
    void wideShowsBothKindsOfRestartAndTheLastExitCode() {
        cli.hypr.put(Fixtures.liveVm("crashy", "Running", ",\"restartCount\":1,\"workloadRestarts\":3,\"lastExitCode\":137"));
        CliHarness.Result r = cli.run("get", "vm", "crashy", "web", "-o", "wide", "--no-headers");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().toList();
        assertTrue(rows.get(0).matches(".*\\s1\\s+3\\s+137$"), rows.get(0)); // RESTARTS, WORKLOAD-RESTARTS, LAST-EXIT
        assertTrue(rows.get(1).matches(".*<none>\\s+<none>\\s+<none>$"), rows.get(1));
    }

    @Test
    void shortKindNamesAndOtherKinds() {
        CliHarness.Result r = cli.run("get", "net");
        assertEquals("""
                NAME      SUBNET         GATEWAY     READY   AGE
                backend   10.88.0.0/24   10.88.0.1   True    3d
                """, r.out());
    }

    @Test
    void jsonOfAListIsAListObject() {
        CliHarness.Result r = cli.run("get", "vm", "-o", "json");
        JsonNode list = Json.parseObject(r.out());
        assertEquals("v1", list.path("apiVersion").asText());
        assertEquals("List", list.path("kind").asText());
        assertEquals(2, list.path("items").size());
        assertTrue(r.out().contains("\"kind\": \"List\""), "kubectl-style spacing");
    }

    @Test
    void jsonOfOneNameIsTheObject() {
        JsonNode obj = Json.parseObject(cli.run("get", "vm", "web", "-o", "json").out());
        assertEquals("VM", obj.path("kind").asText());
        assertEquals("web", obj.path("metadata").path("name").asText());
    }

    @Test
    void jsonOfNothingIsAnEmptyList() {
        cli.hypr.objects.clear();
        CliHarness.Result r = cli.run("get", "vm", "-o", "json");
        assertEquals(0, Json.parseObject(r.out()).path("items").size());
    }

    @Test
    void yamlRoundTripsThroughTheCodec() {
        CliHarness.Result r = cli.run("get", "vm", "-o", "yaml");
        assertEquals(0, r.code(), r.err());
        ReadResult read = ManifestReader.read("out.yaml", r.out().getBytes(StandardCharsets.UTF_8));
        assertTrue(read.ok(), read.errors().toString());
        assertEquals(2, read.manifests().size());
        assertEquals(cli.hypr.objects.get("VM/db"), read.manifests().get(0).object());
        assertEquals(cli.hypr.objects.get("VM/web"), read.manifests().get(1).object());
    }

    @Test
    void yamlQuotesStringsThatLookLikeOtherTypes() {
        cli.hypr.put("""
                {"apiVersion":"hypr.dev/v1alpha1","kind":"VM","metadata":{"name":"odd",
                 "labels":{"a":"true","b":"1.5","c":"null","d":"True","e":"0x1F","f":"yes"}},
                 "spec":{"command":["echo","08", "- x", "a: b", "#c"]}}""");
        String yaml = cli.run("get", "vm", "odd", "-o", "yaml").out();
        ReadResult read = ManifestReader.read("odd.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertTrue(read.ok(), read.errors() + "\n" + yaml);
        assertEquals(cli.hypr.objects.get("VM/odd"), read.manifests().get(0).object(), yaml);
    }

    @Test
    void names() {
        assertEquals("vm/db\nvm/web\n", cli.run("get", "vm", "-o", "name").out());
        assertEquals("vm/web\n", cli.run("get", "vm/web", "-o", "name").out());
    }

    @Test
    void nothingFoundGoesToStderrAndSucceeds() {
        CliHarness.Result r = cli.run("get", "volumes");
        assertEquals(0, r.code());
        assertEquals("", r.out());
        assertEquals("No resources found.\n", r.err());
    }

    @Test
    void missingNameIsAnError() {
        CliHarness.Result r = cli.run("get", "vm", "web", "nope");
        assertEquals(1, r.code());
        assertEquals("error: vm \"nope\" not found\n", r.err());
        assertTrue(r.out().contains("web"));
    }

    @Test
    void selectorIsPassedToList() {
        cli.run("get", "vm", "-l", "app=web");
        assertEquals("app=web", cli.hypr.requestsOf(ListRequest.class).get(0).getLabelSelector());
        assertEquals("VM", cli.hypr.requestsOf(ListRequest.class).get(0).getKind());
    }

    @Test
    void allKindsGetOneTableEach() {
        CliHarness.Result r = cli.run("get", "all");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vm/web"), r.out());
        assertTrue(r.out().contains("network/backend"), r.out());
    }

    @Test
    void watchStreamsChanges() throws Exception {
        CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> cli.run("get", "vm", "-w"));
        waitForWatchers(1);
        cli.hypr.put(Fixtures.liveVm("web", "Stopping", ""));
        cli.hypr.remove("VM", "web");
        awaitOutput("web    Stopping");
        cli.close(); // ends the stream
        CliHarness.Result r = run.get(10, TimeUnit.SECONDS);
        assertTrue(r.out().startsWith("NAME"), r.out());
        assertTrue(r.out().contains("web    Stopping"), r.out());
    }

    private void waitForWatchers(int n) throws InterruptedException {
        for (int i = 0; i < 200 && cli.hypr.watchers.size() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, cli.hypr.watchers.size());
    }

    private void awaitOutput(String text) throws InterruptedException {
        for (int i = 0; i < 500 && !cli.outputSoFar().contains(text); i++) {
            Thread.sleep(10);
        }
        assertTrue(cli.outputSoFar().contains(text), "printed so far: " + cli.outputSoFar());
    }
}
