package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.EventType;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.api.grpc.Outcome;
import dev.hypr.api.grpc.UpdateStatusRequest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real hyprd process, driven over its gRPC socket and REST/metrics ports. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HyprdApiIT {
    @TempDir
    static Path home;

    static HyprdProcess hyprd;
    static HyprGrpc.HyprBlockingStub api;

    @BeforeAll
    static void start() throws Exception {
        // the API and store alone: Network objects here are plain data, no network controller acts on them
        hyprd = HyprdProcess.start(home.resolve("hypr"), List.of(), Map.of("HYPR_CONTROLLERS_ENABLED", "false"));
        api = hyprd.client();
    }

    @AfterAll
    static void stop() throws Exception {
        hyprd.close();
    }

    static String network(String name, String label) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"team\":\"" + label + "\"}},\"spec\":{\"subnet\":\"10.77.0.0/24\"}}";
    }

    static ApplyResponse apply(String... json) {
        ApplyRequest.Builder b = ApplyRequest.newBuilder();
        for (int i = 0; i < json.length; i++) {
            b.addObjects(Manifest.newBuilder().setJson(json[i]).setSource("test.yaml:" + (i * 10 + 1) + ":1"));
        }
        return api.apply(b.build());
    }

    @Test
    void applyGetListDeleteRoundTrip() throws Exception {
        assertEquals(Outcome.CREATED, apply(network("rt-a", "red")).getResults(0).getOutcome());
        assertEquals(Outcome.UNCHANGED, apply(network("rt-a", "red")).getResults(0).getOutcome());
        assertEquals(Outcome.CONFIGURED, apply(network("rt-a", "blue")).getResults(0).getOutcome());
        apply(network("rt-b", "red"));

        ObjectNode got = Json.parseObject(api.get(GetRequest.newBuilder().setKind("net").setName("rt-a").build()).getJson());
        assertEquals("blue", got.path("metadata").path("labels").path("team").asText());
        assertEquals(1, got.path("metadata").path("generation").asInt());

        List<String> red = api.list(ListRequest.newBuilder().setKind("networks").setLabelSelector("team=red").build()).getItemsList();
        assertEquals(1, red.size());
        assertTrue(red.get(0).contains("\"rt-b\""));

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> rest = hyprd.restGet("/apis/hypr.dev/v1alpha1/networks/rt-a");
        assertEquals(200, rest.statusCode());
        assertEquals("rt-a", Json.parseObject(rest.body()).path("metadata").path("name").asText());
        HttpResponse<String> missing = hyprd.restGet("/apis/hypr.dev/v1alpha1/networks/nope");
        assertEquals(404, missing.statusCode());

        assertTrue(api.delete(DeleteRequest.newBuilder().setKind("Network").setName("rt-b").build()).getGone());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> api.get(GetRequest.newBuilder().setKind("Network").setName("rt-b").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hyprd.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("hypr_api_requests_seconds_count{code=\"OK\",method=\"Apply\""), metrics.body());
        assertTrue(metrics.body().contains("hypr_objects{kind=\"Network\"}"));
        // bound after start-up by RuntimeMetrics, not by Quarkus' binders
        for (String runtime : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files")) {
            assertTrue(metrics.body().contains(runtime), runtime + " missing from /metrics");
        }
    }

    @Test
    void watchResumesFromAListRevision() throws Exception {
        apply(network("w-a", "x"));
        long listed = api.list(ListRequest.newBuilder().setKind("Network").build()).getResourceVersion();
        apply(network("w-b", "x"));
        apply(network("w-a", "y"));
        api.delete(DeleteRequest.newBuilder().setKind("Network").setName("w-b").build());

        Iterator<WatchEvent> events = hyprd.client().withDeadlineAfter(10, TimeUnit.SECONDS)
                .watch(WatchRequest.newBuilder().setKind("Network").setResourceVersion(listed).build());
        List<String> seen = new ArrayList<>();
        long last = listed;
        for (int i = 0; i < 3; i++) {
            WatchEvent ev = events.next();
            assertTrue(ev.getResourceVersion() > last, "revisions strictly increase");
            last = ev.getResourceVersion();
            seen.add(ev.getType() + " " + Json.parseObject(ev.getJson()).path("metadata").path("name").asText());
        }
        assertEquals(List.of("ADDED w-b", "MODIFIED w-a", "DELETED w-b"), seen);

        // live events arrive on an open watch
        apply(network("w-c", "x"));
        WatchEvent live = events.next();
        assertEquals(EventType.ADDED, live.getType());
    }

    @Test
    void concurrentWritersLoseNoUpdate() throws Exception {
        apply(network("counter", "c"));
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            HyprGrpc.HyprBlockingStub client = hyprd.client();
            writers.add(pool.submit(() -> incrementStatus(client, perWriter)));
        }
        int conflicts = 0;
        for (Future<Integer> f : writers) {
            conflicts += f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        ObjectNode o = Json.parseObject(api.get(GetRequest.newBuilder().setKind("Network").setName("counter").build()).getJson());
        assertEquals(2 * perWriter, o.path("status").path("count").asInt(), "conflicts retried: " + conflicts);
    }

    /** Read-modify-write with optimistic concurrency; returns how many conflicts it retried. */
    private static int incrementStatus(HyprGrpc.HyprBlockingStub client, int times) {
        int conflicts = 0;
        for (int done = 0; done < times; ) {
            ObjectNode o = Json.parseObject(client.get(GetRequest.newBuilder().setKind("Network").setName("counter").build()).getJson());
            long rv = Long.parseLong(o.path("metadata").path("resourceVersion").asText());
            int count = o.path("status").path("count").asInt(0);
            try {
                client.updateStatus(UpdateStatusRequest.newBuilder().setKind("Network").setName("counter")
                        .setStatusJson("{\"count\":" + (count + 1) + "}").setResourceVersion(rv).build());
                done++;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
                conflicts++;
            }
        }
        return conflicts;
    }

    @Test
    void badRequestsChangeNothingAndTheDaemonKeepsAnswering() {
        long before = api.health(HealthRequest.getDefaultInstance()).getResourceVersion();
        String huge = network("huge", "x").replace("\"spec\":{", "\"spec\":{\"padding\":\"" + "x".repeat(10 * 1024 * 1024) + "\",");
        for (String bad : List.of("{not json", "[1,2]", "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}", huge)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> apply(network("ok-first", "x"), bad));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().getDescription());
            assertTrue(e.getStatus().getDescription().startsWith("test.yaml:"), e.getStatus().getDescription());
        }
        assertEquals(before, api.health(HealthRequest.getDefaultInstance()).getResourceVersion());
        assertThrows(StatusRuntimeException.class, () -> api.get(GetRequest.newBuilder().setKind("Network").setName("ok-first").build()));
    }
}
