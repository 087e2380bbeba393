package dev.hypr.cli;

import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.ApplyResponse;
import dev.hypr.api.grpc.ApplyResult;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HealthReply;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListReply;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.ObjectReply;
import dev.hypr.api.grpc.Outcome;
import dev.hypr.cli.uds.UnixSocketServers;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The workload that trains hyprctl's start-up cache (JDK 25 AOT cache, or AppCDS on older JDKs):
 * the common commands against a tiny stand-in daemon on a temporary Unix socket, output discarded.
 * bin/hyprctl runs it once, in the background, whenever the jar is newer than the cache.
 */
public final class TrainingRun {
    private static final String VM = "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"web\","
            + "\"labels\":{\"app\":\"web\"},\"resourceVersion\":\"7\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
            + "\"spec\":{\"image\":\"nginx\",\"cpus\":1,\"memoryMiB\":256,\"ports\":[{\"hostPort\":8080,\"guestPort\":80}]},"
            + "\"status\":{\"phase\":\"Running\",\"ip\":\"10.88.0.2\",\"conditions\":[{\"type\":\"Ready\","
            + "\"status\":\"True\",\"reason\":\"Booted\",\"lastTransitionTime\":\"2026-01-01T00:00:01Z\"}]}}";

    private TrainingRun() {
    }

    /** The stand-in daemon: every read answers with one VM, apply answers unchanged. */
    static final class Stub extends HyprGrpc.HyprImplBase {
        @Override
        public void get(GetRequest request, StreamObserver<ObjectReply> o) {
            o.onNext(ObjectReply.newBuilder().setJson(VM).build());
            o.onCompleted();
        }

        @Override
        public void list(ListRequest request, StreamObserver<ListReply> o) {
            o.onNext(ListReply.newBuilder().addItems(VM).setResourceVersion(7).build());
            o.onCompleted();
        }

        @Override
        public void apply(ApplyRequest request, StreamObserver<ApplyResponse> o) {
            ApplyResponse.Builder b = ApplyResponse.newBuilder();
            request.getObjectsList().forEach(m -> b.addResults(ApplyResult.newBuilder().setKind("VM").setName("web")
                    .setOutcome(Outcome.UNCHANGED).setJson(m.getJson())));
            o.onNext(b.build());
            o.onCompleted();
        }

        @Override
        public void health(HealthRequest request, StreamObserver<HealthReply> o) {
            o.onNext(HealthReply.newBuilder().setStatus("SERVING").setVersion("training").build());
            o.onCompleted();
        }
    }

    public static void main(String[] args) throws Exception {
        Main.quietLibraries(false);
        Path dir = Files.createTempDirectory("hyprctl-train");
        Path socket = dir.resolve("hypr.sock");
        Path manifest = dir.resolve("web.yaml");
        Files.writeString(manifest, "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: web\n  labels:\n"
                + "    app: web\nspec:\n  image: nginx\n  ports:\n    - hostPort: 8080\n      guestPort: 80\n");
        Server server = UnixSocketServers.start(socket, new Stub());
        try {
            PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
            CliEnv env = new CliEnv(sink, sink, new ByteArrayInputStream(new byte[0]), Map.of(), Clock.systemUTC(),
                    DaemonConnection::unixSocket);
            String s = socket.toString();
            String[][] commands = {
                {"--socket", s, "get", "vm", "web"},
                {"--socket", s, "get", "vms", "-o", "wide"},
                {"--socket", s, "get", "vm", "web", "-o", "yaml"},
                {"--socket", s, "get", "vm", "-o", "json"},
                {"--socket", s, "get", "vm", "-o", "name"},
                {"--socket", s, "describe", "vm", "web"},
                {"--socket", s, "apply", "-f", manifest.toString()},
                {"--socket", s, "diff", "-f", manifest.toString()},
                {"--socket", s, "version"},
                {"--help"},
            };
            for (int round = 0; round < 3; round++) {
                for (String[] c : commands) {
                    Main.run(env, c);
                }
            }
        } finally {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(manifest);
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }
}
