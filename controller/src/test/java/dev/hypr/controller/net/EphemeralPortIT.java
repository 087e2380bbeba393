package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.vmm.GuestArtifacts;
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
 * Compose's bare {@code ports: ["80"]} through the real hyprd and QEMU, inside a network
 * namespace: a port without hostPort is published on an ephemeral host port that answers on
 * 127.0.0.1, is reported in {@code status.ports} and {@code status.forwards}, and stays the same
 * after hyprd is killed and restarted and after the VM's VMM dies and is restarted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EphemeralPortIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require();
    }

    @TempDir
    Path home;

    @Test
    void ephemeralPortAnswersIsReportedAndStaysAcrossRestarts() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home, java.util.Map.of("HYPR_AOT", "0"))) {
            c.apply(NetworkCluster.vm("web", "user", NetworkCluster.httpd(), "[{\"hostIP\":\"127.0.0.1\",\"guestPort\":80}]"));
            JsonNode port = NetworkCluster.await("an ephemeral port in status.ports", Duration.ofMinutes(3),
                    () -> c.status("web").path("ports").path(0), p -> p.path("hostPort").canConvertToInt());
            assertTrue(port.path("ephemeral").asBoolean(), port.toString());
            assertEquals(80, port.path("guestPort").asInt());
            int hostPort = port.path("hostPort").asInt();
            String url = "http://127.0.0.1:" + hostPort + "/";
            NetworkCluster.await("HTTP through the ephemeral port " + hostPort, Duration.ofMinutes(3), () -> c.curl(url),
                    Optional::isPresent);
            JsonNode forward = c.status("web").path("forwards").path(0);
            assertEquals(hostPort, forward.path("hostPort").asInt(), forward.toString());
            assertEquals("Exposed", forward.path("state").asText(), forward.toString());

            c.crashAndRestart();
            NetworkCluster.await("HTTP on the same port after hyprd restarted", Duration.ofMinutes(3), () -> c.curl(url),
                    Optional::isPresent);
            assertEquals(hostPort, c.status("web").path("ports").path(0).path("hostPort").asInt());

            long pid = c.status("web").path("pid").asLong();
            // the VMM dies: the VM controller boots it again
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false), "web's VMM " + pid + " runs");
            NetworkCluster.await("the VM restarted", Duration.ofMinutes(3), () -> c.status("web"),
                    s -> s.path("pid").asLong() != 0 && s.path("pid").asLong() != pid && "Running".equals(s.path("phase").asText()));
            NetworkCluster.await("HTTP on the same port after the VM restarted", Duration.ofMinutes(3), () -> c.curl(url),
                    Optional::isPresent);
            assertEquals(hostPort, c.status("web").path("ports").path(0).path("hostPort").asInt(), c.status("web").toString());
            assertEquals(hostPort, c.status("web").path("forwards").path(0).path("hostPort").asInt());
        }
    }
}
