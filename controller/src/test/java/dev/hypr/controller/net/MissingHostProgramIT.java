package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh machine without nftables, as hyprd sees one: hyprd runs (inside a network namespace)
 * with a PATH where everything but {@code nft} is found. A bridged VM and its Network say
 * {@code NetworkUnavailable: nft not found (install nftables)} in a condition and an event, and
 * deleting Networks (one a VM used, one nobody used) does not hang in Terminating.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public class MissingHostProgramIT {
    @TempDir
    Path home;

    @TempDir
    Path bin;

    @BeforeAll
    static void requirements() {
        GuestArtifacts.require();
        assertTrue(NetNs.available(), "needs root and iproute2 for a network namespace (scripts/test.sh runs as root)");
    }

    /** A PATH directory with a link to every program on this PATH except {@code hidden}. */
    public static String pathWithout(Path bin, String hidden) throws Exception {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var programs = Files.list(d)) {
                for (Path p : programs.toList()) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (!p.getFileName().toString().equals(hidden) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, p);
                    }
                }
            }
        }
        return bin.toString();
    }

    @Test
    void withoutNftVmsAndNetworksSaySoAndNetworksStillDelete() throws Exception {
        try (NetworkCluster c = NetworkCluster.start(home, Map.of("PATH", pathWithout(bin, "nft")))) {
            c.apply(BridgeNetworkIT.network("back", "10.89.0.0/24"));
            c.apply(BridgeNetworkIT.network("idle", "10.90.0.0/24"));
            c.apply(NetworkCluster.vm("web", "back", NetworkCluster.httpd(), "[]"));

            JsonNode vmReady = NetworkCluster.await("vm/web NetworkUnavailable", Duration.ofSeconds(60),
                    () -> Conditions.get(c.status("web"), "Ready").orElse(null),
                    r -> r != null && "NetworkUnavailable".equals(r.path("reason").asText()));
            assertTrue(vmReady.path("message").asText().contains("nft not found (install nftables)"), vmReady.toString());
            c.awaitEvent("web", "NetworkUnavailable", "nft not found (install nftables)");

            JsonNode netReady = NetworkCluster.await("network/back NetworkUnavailable", Duration.ofSeconds(60),
                    () -> c.get("network", "back").flatMap(n -> Conditions.get(n.path("status"), "Ready")).orElse(null),
                    r -> r != null && "NetworkUnavailable".equals(r.path("reason").asText()));
            assertEquals("False", netReady.path("status").asText());
            assertEquals("nft not found (install nftables)", netReady.path("message").asText());
            assertTrue(c.events("Network", "back").stream().anyMatch(e -> e.getReason().equals("NetworkUnavailable")
                    && e.getMessage().equals("nft not found (install nftables)")), c.events("Network", "back").toString());

            c.delete("network", "idle");
            NetworkCluster.await("network/idle deleted", Duration.ofSeconds(30), () -> c.get("network", "idle"), Optional::isEmpty);
            c.delete("vm", "web");
            NetworkCluster.await("vm/web deleted", Duration.ofSeconds(60), () -> c.get("vm", "web"), Optional::isEmpty);
            c.delete("network", "back");
            NetworkCluster.await("network/back deleted", Duration.ofSeconds(30), () -> c.get("network", "back"), Optional::isEmpty);
        }
    }
}
