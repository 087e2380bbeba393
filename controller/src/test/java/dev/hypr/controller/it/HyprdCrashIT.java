package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 right after acknowledged writes loses none of them. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HyprdCrashIT {
    @TempDir
    Path home;

    @Test
    void everyAcknowledgedApplySurvivesKill9() throws Exception {
        int n = 40;
        // the store alone: no controller may write between the acknowledged revision and the kill
        try (HyprdProcess hyprd = HyprdProcess.start(home.resolve("hypr"), java.util.List.of(),
                java.util.Map.of("HYPR_CONTROLLERS_ENABLED", "false"))) {
            HyprGrpc.HyprBlockingStub api = hyprd.client();
            for (int i = 0; i < n; i++) {
                api.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(
                        "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Volume\",\"metadata\":{\"name\":\"v" + i
                                + "\"},\"spec\":{\"sizeMiB\":" + (i + 1) + "}}")).build());
            }
            long acknowledged = api.health(HealthRequest.getDefaultInstance()).getResourceVersion();
            hyprd.kill9();
            assertTrue(Files.exists(hyprd.socket()), "kill -9 leaves the socket file behind");

            hyprd.launch(); // a stale socket must not stop the restart
            HyprGrpc.HyprBlockingStub again = hyprd.client();
            assertEquals(acknowledged, again.health(HealthRequest.getDefaultInstance()).getResourceVersion());
            assertEquals(n, again.list(ListRequest.newBuilder().setKind("Volume").build()).getItemsCount());
        }
    }
}
