package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.controller.store.etcd.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two real hyprd on one real etcd (HYPR_STORE=etcd://...): one store, seen and kept by both. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EtcdStoreIT {
    @TempDir
    Path dir;

    private static String volume(int i) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Volume\",\"metadata\":{\"name\":\"v" + i
                + "\"},\"spec\":{\"sizeMiB\":" + (i + 1) + "}}";
    }

    @Test
    void twoHyprdShareOneStoreAndAKilledOneFindsEverythingAgain() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            // the store alone: controllers of two nodes would both act on every object without a scheduler
            Map<String, String> a = Map.of("HYPR_STORE", etcd.storeUrl(), "HYPR_CONTROLLERS_ENABLED", "false",
                    "HYPR_NODE_NAME", "node-a", "HYPR_AOT", "0");
            Map<String, String> b = Map.of("HYPR_STORE", etcd.storeUrl(), "HYPR_CONTROLLERS_ENABLED", "false",
                    "HYPR_NODE_NAME", "node-b", "HYPR_AOT", "0");
            try (HyprdProcess first = HyprdProcess.start(dir.resolve("a"), List.of(), a);
                    HyprdProcess second = HyprdProcess.start(dir.resolve("b"), List.of(), b)) {
                HyprGrpc.HyprBlockingStub api = first.client();
                int n = 10;
                for (int i = 0; i < n; i++) {
                    api.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(volume(i))).build());
                }
                long acknowledged = api.health(HealthRequest.getDefaultInstance()).getResourceVersion();
                // the other hyprd sees every object, with the same resourceVersion (etcd's revision)
                second.await("Volume", "v" + (n - 1), o -> true, Duration.ofMinutes(2));
                assertEquals(n, second.client().list(ListRequest.newBuilder().setKind("Volume").build()).getItemsCount());
                assertEquals(first.object("Volume", "v3").orElseThrow().path("metadata").path("resourceVersion"),
                        second.object("Volume", "v3").orElseThrow().path("metadata").path("resourceVersion"));

                first.kill9();
                first.launch();
                HyprGrpc.HyprBlockingStub again = first.client();
                assertTrue(again.health(HealthRequest.getDefaultInstance()).getResourceVersion() >= acknowledged);
                assertEquals(n, again.list(ListRequest.newBuilder().setKind("Volume").build()).getItemsCount());
                // a write through the restarted one reaches the other
                again.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(volume(n))).build());
                second.await("Volume", "v" + n, o -> true, Duration.ofMinutes(2));
            }
        }
    }
}
