package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.grpc.Event;
import dev.hypr.api.grpc.ListEventsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hyprd in a network namespace whose "LAN" is a dummy interface with an address and a route
 * behind it: Networks overlapping them are refused with a condition and an event naming what
 * they overlap, and neither a bridge nor an address appears; the default network still comes up.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SubnetOverlapIT {
    @TempDir
    Path tmp;

    @Test
    void subnetsOverlappingTheHostAreRefusedAndTheDefaultNetworkComesUp() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster cluster = NetworkCluster.start(tmp.resolve("home"))) {
            cluster.ns.exec("ip", "link", "add", "lan0", "type", "dummy");
            cluster.ns.exec("ip", "addr", "add", "192.168.77.10/24", "dev", "lan0");
            cluster.ns.exec("ip", "link", "set", "lan0", "up");
            cluster.ns.exec("ip", "route", "add", "10.200.0.0/16", "via", "192.168.77.1");

            cluster.apply(network("onlan", "192.168.77.0/24"));
            cluster.apply(network("behindrouter", "10.200.5.0/24"));
            cluster.apply(network("free", "10.201.0.0/24"));

            JsonNode onLan = awaitReady(cluster, "onlan", "SubnetOverlap");
            assertEquals("192.168.77.0/24 overlaps address 192.168.77.10/24 on lan0 of the host; set another spec.subnet",
                    onLan.path("message").asText());
            JsonNode behind = awaitReady(cluster, "behindrouter", "SubnetOverlap");
            assertEquals("10.200.5.0/24 overlaps route 10.200.0.0/16 via 192.168.77.1 dev lan0 of the host;"
                    + " set another spec.subnet", behind.path("message").asText());
            List<Event> events = cluster.api.listEvents(ListEventsRequest.newBuilder().setKind("Network")
                    .setName("onlan").build()).getEventsList();
            assertTrue(events.stream().anyMatch(e -> e.getReason().equals("SubnetOverlap")
                    && e.getType().equals("Warning") && e.getMessage().contains("lan0")), events.toString());

            awaitReady(cluster, "free", "Allocated");
            awaitReady(cluster, "default", "Allocated");
            assertTrue(cluster.get("network", "onlan").orElseThrow().path("status").path("subnet").isMissingNode());
            String addresses = cluster.ns.exec("ip", "-4", "-o", "addr");
            assertEquals(1, addresses.lines().filter(l -> l.contains("192.168.77.")).count(),
                    "the host keeps the only address in its LAN: " + addresses);
        }
    }

    private static String network(String name, String subnet) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"subnet\":\"" + subnet + "\"}}";
    }

    /** The Network's Ready condition once it has this reason. */
    private static JsonNode awaitReady(NetworkCluster cluster, String name, String reason) throws Exception {
        return NetworkCluster.await("network/" + name + " Ready reason " + reason, Duration.ofSeconds(30), () -> {
            for (JsonNode c : cluster.get("network", name).orElseThrow().path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    return c;
                }
            }
            return null;
        }, c -> c != null && reason.equals(c.path("reason").asText()));
    }
}
