package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.net.forward.ForwardEvents;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
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
 * The bridge backend through the real hyprd and QEMU, inside a network namespace: two VMs on one
 * Network, the client fetches the server by name (hyprd's DNS on the gateway, traffic over the
 * bridge), the server's published port answers on the namespace's 127.0.0.1 through hyprd's
 * proxy and comes back within one resync (with an event) after {@code ss -K} kills the proxy's
 * listening socket, a restart keeps the address, a kill -9 of hyprd loses no forward and duplicates no
 * address, and deleting everything leaves no hyb-/hyt- link behind.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BridgeNetworkIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
    }

    @TempDir
    Path home;

    static String network(String name, String subnet) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"subnet\":\"" + subnet + "\"}}";
    }

    static String client() {
        return "[\"/bin/sh\",\"-c\",\"for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://web/ && break; sleep 1; done; sleep 3600\"]";
    }

    @Test
    void vmsReachEachOtherByNameAndPublishedPortsWork() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home)) {
            c.apply(network("back", "10.89.0.0/24"));
            String web = NetworkCluster.vm("web", "back", NetworkCluster.httpd(),
                    "[{\"hostIP\":\"127.0.0.1\",\"hostPort\":8080,\"guestPort\":80}]");
            c.apply(web);
            long t0 = System.nanoTime();
            String page = NetworkCluster.await("HTTP through the proxy to web's bridge address", Duration.ofSeconds(180),
                    () -> c.curl("http://127.0.0.1:8080/"), Optional::isPresent).orElseThrow();
            System.out.printf("bridge: first HTTP through the published port %d ms after apply%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(page.contains("hello from hypr"), page);
            JsonNode status = c.status("web");
            String ip = status.path("ip").asText();
            assertTrue(ip.startsWith("10.89.0."), status.toString());
            assertTrue(status.path("mac").asText().startsWith("02:68:79:"), status.toString());
            assertTrue(c.ns.exec("ip", "-o", "link").contains(InterfaceNames.tap("web")), "web's TAP exists");

            // an admin kills the proxy's listening socket (sock_diag destroy): hyprd binds it again
            String killed = c.ns.exec("ss", "-nK", "state", "listening", "( sport = :8080 )");
            // the JVM's listener is a v4-mapped IPv6 socket: [::ffff:127.0.0.1]:8080
            assertTrue(java.util.regex.Pattern.compile("127\\.0\\.0\\.1]?:8080").matcher(killed).find(),
                    "ss -K closed the proxy's listener: " + killed);
            long killedAt = System.nanoTime();
            NetworkCluster.await("the proxy listener to come back", Duration.ofSeconds(5), () -> c.curl("http://127.0.0.1:8080/"),
                    Optional::isPresent);
            System.out.printf("bridge: proxy listener back %d ms after ss -K%n", (System.nanoTime() - killedAt) / 1_000_000);
            c.awaitEvent("web", ForwardEvents.RESTORED, "127.0.0.1:8080");

            c.apply(NetworkCluster.vm("client", "back", client(), "[]"));
            Path clientLog = home.resolve("logs/client.log");
            NetworkCluster.await("client to fetch http://web/ by name", Duration.ofSeconds(180),
                    () -> Files.exists(clientLog) ? Files.readString(clientLog) : "", l -> l.contains("hello from hypr"));

            String startedAt = status.path("startedAt").asText();
            c.apply(web.replace("\"memoryMiB\":128", "\"memoryMiB\":128,\"env\":[{\"name\":\"GENERATION\",\"value\":\"2\"}]"));
            NetworkCluster.await("web rebooted for the spec change", Duration.ofSeconds(60),
                    () -> c.status("web").path("startedAt").asText(), s -> !s.isEmpty() && !s.equals(startedAt));
            NetworkCluster.await("HTTP after web's restart", Duration.ofSeconds(180), () -> c.curl("http://127.0.0.1:8080/"),
                    Optional::isPresent);
            assertEquals(ip, c.status("web").path("ip").asText(), "a restart keeps the address");

            c.crashAndRestart();
            NetworkCluster.await("forward back after kill -9 of hyprd", Duration.ofSeconds(60),
                    () -> c.curl("http://127.0.0.1:8080/"), Optional::isPresent);
            JsonNode allocations = c.get("network", "back").orElseThrow().path("status").path("allocations");
            java.util.Set<String> ips = new java.util.HashSet<>();
            allocations.forEach(a -> ips.add(a.path("ip").asText()));
            assertEquals(allocations.size(), ips.size(), "no duplicate addresses: " + allocations);
            assertEquals(ip, c.status("web").path("ip").asText(), "adopted web keeps its address");
            assertTrue(c.ns.exec("ip", "-o", "link").contains(InterfaceNames.tap("client")), "the sweep leaves owned TAPs alone");

            c.delete("vm", "client");
            c.delete("vm", "web");
            NetworkCluster.await("VMs gone", Duration.ofSeconds(60),
                    () -> c.get("vm", "web").isPresent() || c.get("vm", "client").isPresent(), gone -> !gone);
            c.delete("network", "back");
            NetworkCluster.await("network gone", Duration.ofSeconds(30), () -> c.get("network", "back").isPresent(), p -> !p);
            String links = NetworkCluster.await("no hyb-/hyt- links", Duration.ofSeconds(15), () -> c.ns.exec("ip", "-o", "link"),
                    l -> !l.contains(InterfaceNames.BRIDGE_PREFIX) && !l.contains(InterfaceNames.TAP_PREFIX));
            assertFalse(links.contains("hyb-"), links);
            assertFalse(c.ns.tryExec("nft", "list", "table", "ip", "hypr").output().contains("masquerade"), "NAT rule removed");
        }
    }
}
