package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM on two Networks, through the real hyprd and QEMU inside a network namespace: a joins
 * front and back (eth0 and eth1), b only back, c only front. b reaches a by name (and by a's
 * alias on back) at a's back address and a reaches b by name (asking front's DNS, which answers
 * for a's other networks), c reaches a by name at its front address, b cannot reach c
 * (Networks are isolated from each other), a's status lists both addresses; kill -9 of hyprd
 * keeps the addresses and leaves one TAP per NIC; deleting a releases both addresses and TAPs.
 * A Stack service on two networks gets both, and is reached by service name on each.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiNetworkIT {
    private static final Duration BOOT = Duration.ofMinutes(3);

    @TempDir
    Path home;

    private static String vm(String name, String networks, String script) throws Exception {
        String command = Json.MAPPER.writeValueAsString(List.of("/bin/sh", "-c", script));
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"rootfs\":\"" + NetworkCluster.ROOTFS + "\",\"memoryMiB\":128," + networks + ",\"command\":" + command + "}}";
    }

    private String log(String vm) throws Exception {
        Path p = home.resolve("logs/" + vm + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private String awaitLog(String vm, String text) throws Exception {
        return NetworkCluster.await(vm + "'s log to show " + text, BOOT, () -> log(vm), l -> l.contains(text));
    }

    /** "NAME -> ADDRESS" lines the scripts print after resolving a name with busybox nslookup. */
    private static String resolved(String log, String name) {
        Matcher m = Pattern.compile("RESOLVED " + Pattern.quote(name) + " (\\S+)").matcher(log);
        return m.find() ? m.group(1) : "";
    }

    /** Resolves a name (the guest's resolv.conf: the first NIC's gateway) and prints RESOLVED name address. */
    private static String resolve(String name) {
        return "echo RESOLVED " + name + " $(busybox nslookup " + name + " 2>/dev/null | busybox awk '/^Address/ {a=$NF} END {print a}');";
    }

    private static String fetchLoop(String url, String ok) {
        return fetchLoop(url, ok, 60);
    }

    private static String fetchLoop(String url, String ok, int seconds) {
        return "for i in $(seq 1 " + seconds + "); do wget -qO- " + url + " >/dev/null && echo " + ok + " && break; sleep 1; done;";
    }

    @Test
    void aVmOnTwoNetworksIsReachedOnEachByNameAndNetworksStayApart() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home)) {
            c.apply(BridgeNetworkIT.network("front", "10.90.0.0/24"));
            c.apply(BridgeNetworkIT.network("back", "10.91.0.0/24"));
            c.apply(vm("a", "\"networks\":[{\"name\":\"front\"},{\"name\":\"back\",\"aliases\":[\"api\"]}]",
                    "/bin/httpd -p 80 -h /www; busybox ip -o -4 addr; busybox ip route; echo A-NET-DONE; "
                            + fetchLoop("http://b/", "A-FETCHED-B", 180) + resolve("b") + "sleep 3600")); // b starts after a
            c.apply(vm("c", "\"network\":\"front\"", "/bin/httpd -p 80 -h /www; " + fetchLoop("http://a/", "C-FETCHED-A")
                    + resolve("a") + "sleep 3600"));
            String cIp = NetworkCluster.await("c's address", BOOT, () -> c.status("c").path("ip").asText(), ip -> !ip.isEmpty());
            c.apply(vm("b", "\"network\":\"back\"", "/bin/httpd -p 80 -h /www; " + fetchLoop("http://a/", "B-FETCHED-A") + fetchLoop("http://api/", "B-FETCHED-API")
                    + resolve("a") + resolve("api")
                    + "wget -T 3 -qO- http://" + cIp + "/ >/dev/null && echo C-REACHED || echo C-UNREACHABLE; sleep 3600"));

            JsonNode a = NetworkCluster.await("a running with both addresses", BOOT, () -> c.status("a"),
                    s -> s.path("networks").size() == 2 && s.path("networks").get(1).has("ip"));
            JsonNode front = a.path("networks").get(0);
            JsonNode back = a.path("networks").get(1);
            assertEquals(List.of("front", "eth0", "back", "eth1"), List.of(front.path("name").asText(), front.path("interface").asText(),
                    back.path("name").asText(), back.path("interface").asText()), a.toString());
            String aFront = front.path("ip").asText();
            String aBack = back.path("ip").asText();
            assertTrue(aFront.startsWith("10.90.0.") && aBack.startsWith("10.91.0."), a.toString());
            assertEquals(aFront, a.path("ip").asText(), "status.ip is the first network's address");
            assertFalse(front.path("mac").asText().equals(back.path("mac").asText()), "distinct MACs: " + a);

            String aLog = awaitLog("a", "A-NET-DONE");
            assertTrue(aLog.contains(aFront + "/24") && aLog.contains(aBack + "/24"), "Kestrel set both addresses: " + aLog);
            assertTrue(aLog.contains("default via 10.90.0.1"), "the default route is the first network's: " + aLog);
            assertFalse(aLog.contains("default via 10.91.0.1"), "no default route on the second: " + aLog);

            String bLog = awaitLog("b", "C-UN");
            assertTrue(bLog.contains("B-FETCHED-A") && bLog.contains("B-FETCHED-API"), "b reached a and its alias over back: " + bLog);
            assertEquals(aBack, resolved(bLog, "a"), "on back, a's name is its back address: " + bLog);
            assertEquals(aBack, resolved(bLog, "api"), "the alias too: " + bLog);
            assertTrue(c.curl("http://" + cIp + "/").isPresent(), "c serves HTTP (from the host)");
            assertTrue(bLog.contains("C-UNREACHABLE"), "b shares no network with c: " + bLog);

            String aFetched = awaitLog("a", "RESOLVED b");
            assertTrue(aFetched.contains("A-FETCHED-B"), "a reached b over back: " + aFetched);
            String bIp = c.status("b").path("ip").asText();
            assertEquals(bIp, resolved(aFetched, "b"), "a finds b, which it shares only its second network with: " + aFetched);

            String cLog = awaitLog("c", "RESOLVED a");
            assertTrue(cLog.contains("C-FETCHED-A"), "c reached a over front: " + cLog);
            assertEquals(aFront, resolved(cLog, "a"), "on front, a's name is its front address: " + cLog);

            c.crashAndRestart();
            JsonNode after = NetworkCluster.await("a adopted after kill -9", BOOT, () -> c.status("a"),
                    s -> s.path("networks").size() == 2 && s.path("networks").get(1).has("ip") && s.has("pid"));
            assertEquals(aFront, after.path("networks").get(0).path("ip").asText(), after.toString());
            assertEquals(aBack, after.path("networks").get(1).path("ip").asText(), after.toString());
            assertEquals(a.path("pid").asLong(), after.path("pid").asLong(), "adopted, not rebooted");
            assertEquals(4, taps(c), "one TAP per NIC (a: 2, b: 1, c: 1) after the restart's sweep");
            assertTrue(c.curl("http://" + aBack + "/").isPresent() && c.curl("http://" + aFront + "/").isPresent(),
                    "a answers on both addresses after the restart");

            c.delete("vm", "a");
            NetworkCluster.await("a's addresses released on both networks", Duration.ofMinutes(1),
                    () -> allocated(c, "front", "a") || allocated(c, "back", "a"), held -> !held);
            NetworkCluster.await("a's two TAPs removed", Duration.ofMinutes(1), () -> taps(c), n -> n == 2);
        }
    }

    @Test
    void aStackServiceOnTwoNetworksIsReachedByServiceNameOnEach() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home, java.util.Map.of("HYPR_AOT", "0"))) {
            String fetchProxy = Json.MAPPER.writeValueAsString(List.of("/bin/sh", "-c",
                    "/bin/httpd -p 80 -h /www; " + fetchLoop("http://proxy/", "REACHED-PROXY", 240) + resolve("proxy") + "sleep 3600"));
            String proxy = Json.MAPPER.writeValueAsString(List.of("/bin/sh", "-c", "/bin/httpd -p 80 -h /www; "
                    + fetchLoop("http://api/", "REACHED-API", 240) + fetchLoop("http://edge/", "REACHED-EDGE", 240) + "sleep 3600"));
            c.apply("""
                    {"apiVersion":"hypr.dev/v1alpha1","kind":"Stack","metadata":{"name":"duo"},"spec":{
                     "networks":[{"name":"front","subnet":"10.92.0.0/24"},{"name":"back","subnet":"10.93.0.0/24"}],
                     "services":[
                      {"name":"proxy","rootfs":"%1$s","memoryMiB":128,"networks":["front","back"],"command":%2$s},
                      {"name":"api","rootfs":"%1$s","memoryMiB":128,"networks":["back"],"command":%3$s},
                      {"name":"edge","rootfs":"%1$s","memoryMiB":128,"networks":["front"],"command":%3$s}]}}
                    """.formatted(NetworkCluster.ROOTFS, proxy, fetchProxy));
            JsonNode status = NetworkCluster.await("duo-proxy-1 on both networks", BOOT, () -> c.status("duo-proxy-1"),
                    s -> s.path("networks").size() == 2 && s.path("networks").get(1).has("ip"));
            assertEquals("duo-front", status.path("networks").get(0).path("name").asText(), status.toString());
            String onFront = status.path("networks").get(0).path("ip").asText();
            String onBack = status.path("networks").get(1).path("ip").asText();
            assertTrue(onFront.startsWith("10.92.0.") && onBack.startsWith("10.93.0."), status.toString());
            String api = awaitLog("duo-api-1", "RESOLVED proxy");
            assertTrue(api.contains("REACHED-PROXY"), api);
            assertEquals(onBack, resolved(api, "proxy"), "api finds proxy at its back address: " + api);
            String edge = awaitLog("duo-edge-1", "RESOLVED proxy");
            assertTrue(edge.contains("REACHED-PROXY"), edge);
            assertEquals(onFront, resolved(edge, "proxy"), "edge finds proxy at its front address: " + edge);
            String proxyLog = NetworkCluster.await("proxy to reach both", BOOT, () -> log("duo-proxy-1"),
                    l -> l.contains("REACHED-API") && l.contains("REACHED-EDGE"));
            assertTrue(proxyLog.contains("REACHED-API") && proxyLog.contains("REACHED-EDGE"), proxyLog);
        }
    }

    private static boolean allocated(NetworkCluster c, String network, String vm) {
        JsonNode allocations = c.get("network", network).orElseThrow().path("status").path("allocations");
        for (JsonNode a : allocations) {
            if (vm.equals(a.path("vm").asText())) {
                return true;
            }
        }
        return false;
    }

    private static long taps(NetworkCluster c) throws Exception {
        return c.ns.exec("ip", "-o", "link").lines().filter(l -> l.contains(InterfaceNames.TAP_PREFIX)).count();
    }
}
