package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.net.forward.ForwardEvents;
import dev.hypr.controller.net.forward.ForwardReconciler;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.vmm.GuestArtifacts;
import dev.hypr.controller.vmm.qemu.QmpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rootless networking ({@code network: user}) through the real hyprd and QEMU, inside a network
 * namespace: a published port answers on the namespace's 127.0.0.1, a forward removed over
 * QMP comes back within one resync (and an event says so), and a second VM asking for the same host port gets
 * PortConflict while its other port works.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UserModeForwardIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
    }

    @TempDir
    Path home;

    @Test
    void publishedPortRestoredAfterRemovalAndConflictReported() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home)) {
            c.apply(NetworkCluster.vm("web", "user", NetworkCluster.httpd(),
                    "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]"));
            long t0 = System.nanoTime();
            NetworkCluster.await("HTTP through the forward", Duration.ofSeconds(90), () -> c.curl("http://127.0.0.1:8080/"),
                    Optional::isPresent);
            System.out.printf("user-mode: first HTTP through the published port %d ms after apply%n",
                    (System.nanoTime() - t0) / 1_000_000);

            try (QmpClient qmp = QmpClient.connect(home.resolve("runtime/vms/web/qmp.sock"))) {
                String out = qmp.humanMonitorCommand("hostfwd_remove n0 tcp:127.0.0.1:8080");
                assertTrue(out.contains("removed"), out);
            }
            long removed = System.nanoTime();
            assertTrue(c.curl("http://127.0.0.1:8080/").isEmpty(), "the forward is gone");
            NetworkCluster.await("the forward to come back", Duration.ofSeconds(15), () -> c.curl("http://127.0.0.1:8080/"),
                    Optional::isPresent);
            System.out.printf("user-mode: forward restored %d ms after hostfwd_remove%n", (System.nanoTime() - removed) / 1_000_000);
            JsonNode ready = NetworkCluster.await("ForwardsReady=Restored", Duration.ofSeconds(10),
                    () -> Conditions.get(c.status("web"), ForwardReconciler.FORWARDS_READY).orElse(null),
                    r -> r != null && "Restored".equals(r.path("reason").asText()));
            assertTrue(ready.path("message").asText().contains("127.0.0.1:8080"), ready.toString());
            assertEquals("Warning", c.awaitEvent("web", ForwardEvents.RESTORED, "127.0.0.1:8080").getType());

            c.apply(NetworkCluster.vm("web2", "user", NetworkCluster.httpd(),
                    "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80},"
                            + "{\"hostIP\":\"127.0.0.1\",\"hostPort\":8081,\"guestPort\":80}]"));
            JsonNode conflict = NetworkCluster.await("PortConflict on web2", Duration.ofSeconds(90),
                    () -> Conditions.get(c.status("web2"), ForwardReconciler.PORT_CONFLICT).orElse(null),
                    k -> k != null && "True".equals(k.path("status").asText()));
            assertTrue(conflict.path("message").asText().contains("tcp 127.0.0.1:8080 is already in use"), conflict.toString());
            c.awaitEvent("web2", ForwardReconciler.PORT_CONFLICT, "tcp 127.0.0.1:8080 is already in use");
            NetworkCluster.await("web2's other port", Duration.ofSeconds(60), () -> c.curl("http://127.0.0.1:8081/"),
                    Optional::isPresent);
            assertTrue(c.curl("http://127.0.0.1:8080/").isPresent(), "web keeps its port");
            assertEquals("Exposed", c.status("web").path("forwards").get(0).path("state").asText());
        }
    }
}
