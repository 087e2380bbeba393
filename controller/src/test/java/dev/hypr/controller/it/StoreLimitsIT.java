package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store filled to its (small) limits refuses the next apply with RESOURCE_EXHAUSTED and
 * changes nothing; after kill -9 hyprd starts again with every acknowledged object; the
 * launcher's heap follows the byte limit.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StoreLimitsIT {
    static final String VALUE = "v".repeat(100_000);

    @TempDir
    Path home;

    static String vm(String name, String value) {
        return """
                {"apiVersion":"hypr.dev/v1alpha1","kind":"VM","metadata":{"name":"%s"},
                 "spec":{"rootfs":"/nonexistent.squashfs","running":false,"env":[{"name":"BIG","value":"%s"}]}}"""
                .formatted(name, value);
    }

    static void apply(HyprGrpc.HyprBlockingStub api, String json) {
        api.withDeadlineAfter(30, TimeUnit.SECONDS)
                .apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setSource("fill.yaml:1:1").setJson(json)).build());
    }

    static int vms(HyprGrpc.HyprBlockingStub api) {
        return api.list(ListRequest.newBuilder().setKind("vm").build()).getItemsCount();
    }

    @Test
    void aFullStoreRefusesTheNextApplyAndSurvivesKill9() throws Exception {
        Map<String, String> env = Map.of("HYPR_STORE_MAX_BYTES", "2M", "HYPR_STORE_MAX_OBJECTS", "30",
                "HYPR_CONTROLLERS_ENABLED", "false");
        try (HyprdProcess hyprd = HyprdProcess.start(home.resolve("hypr"), List.of(), env)) {
            String cmdline = Files.readString(Path.of("/proc/" + hyprd.process().pid() + "/cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains("-Xmx264m"), "256 MiB + 4 x 2 MiB: " + cmdline);
            HyprGrpc.HyprBlockingStub api = hyprd.client();

            List<String> acknowledged = new ArrayList<>();
            StatusRuntimeException full = null;
            for (int i = 0; i < 100 && full == null; i++) {
                try {
                    apply(api, vm("big-" + i, VALUE));
                    acknowledged.add("big-" + i);
                } catch (StatusRuntimeException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "2 MiB never filled");
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode(), full.toString());
            String message = full.getStatus().getDescription();
            assertTrue(message.contains("store is full") && message.contains("hypr.store.max-bytes") && message.contains("2.0 MiB"), message);
            assertTrue(acknowledged.size() >= 15 && acknowledged.size() <= 20, acknowledged.size() + " objects of ~100 KB in 2 MiB");
            String refused = "big-" + acknowledged.size();
            assertEquals(acknowledged.size(), vms(api), "nothing of the refused apply was stored");
            StatusRuntimeException absent = assertThrows(StatusRuntimeException.class,
                    () -> api.get(GetRequest.newBuilder().setKind("vm").setName(refused).build()));
            assertEquals(Status.Code.NOT_FOUND, absent.getStatus().getCode());

            hyprd.kill9();
            hyprd.launch();
            HyprGrpc.HyprBlockingStub again = hyprd.client();
            assertEquals(acknowledged.size(), vms(again));
            for (String name : acknowledged) {
                String json = again.get(GetRequest.newBuilder().setKind("vm").setName(name).build()).getJson();
                assertEquals(VALUE, Json.parseObject(json).path("spec").path("env").path(0).path("value").asText(), name);
            }
            // still full after the restart; a delete makes room
            assertEquals(Status.Code.RESOURCE_EXHAUSTED,
                    assertThrows(StatusRuntimeException.class, () -> apply(again, vm(refused, VALUE))).getStatus().getCode());
            again.delete(DeleteRequest.newBuilder().setKind("vm").setName(acknowledged.get(0)).build());
            apply(again, vm(refused, VALUE));

            // the object count: small objects until the 30th
            int total = vms(again) + again.list(ListRequest.newBuilder().setKind("network").build()).getItemsCount();
            StatusRuntimeException tooMany = null;
            for (int i = 0; i < 40 && tooMany == null; i++) {
                try {
                    apply(again, vm("small-" + i, "x"));
                    total++;
                } catch (StatusRuntimeException e) {
                    tooMany = e;
                }
            }
            assertTrue(tooMany != null);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooMany.getStatus().getCode());
            assertTrue(tooMany.getStatus().getDescription().contains("hypr.store.max-objects) is 30"), tooMany.getStatus().getDescription());
            assertEquals(30, total);
        }
    }
}
