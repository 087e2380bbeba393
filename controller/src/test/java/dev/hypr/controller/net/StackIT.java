package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stack through the real hyprd and QEMU, inside a network namespace: {@code web} waits for
 * {@code db} to be healthy, then reaches it by service name over the stack's network; web's
 * published port answers on 127.0.0.1; re-applying the same Stack writes nothing; editing web's
 * environment restarts web and not db; killing db's VMM gets it restarted; deleting the Stack
 * removes its VMs and network and keeps the named volume.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
    }

    @TempDir
    Path home;

    static String stack(String generation) {
        return """
                {"apiVersion":"hypr.dev/v1alpha1","kind":"Stack","metadata":{"name":"shop"},"spec":{
                 "services":[
                  {"name":"db","rootfs":"%1$s","memoryMiB":128,"command":["/bin/httpd","-f","-p","5432","-h","/www"],
                   "healthcheck":{"exec":{"command":["/bin/wget","-qO-","http://127.0.0.1:5432/"]},"periodSeconds":1,
                                  "timeoutSeconds":5,"failureThreshold":30},
                   "volumes":[{"name":"data","volumeRef":"data","mountPath":"/data"}]},
                  {"name":"web","rootfs":"%1$s","memoryMiB":128,
                   "command":["/bin/sh","-c","until wget -qO- http://db:5432/; do sleep 1; done; echo reached-db-$GEN; exec httpd -f -p 80 -h /www"],
                   "env":[{"name":"GEN","value":"%2$s"}],
                   "ports":[{"hostIP":"127.0.0.1","hostPort":18080,"guestPort":80}],
                   "dependsOn":["db"],"dependencies":[{"service":"db","condition":"Healthy"}]}],
                 "volumes":[{"name":"data","sizeMiB":16}]}}
                """.formatted(NetworkCluster.ROOTFS, generation);
    }

    private static JsonNode service(JsonNode stackStatus, String name) {
        for (JsonNode s : stackStatus.path("services")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void aStackStartsInOrderReachesServicesByNameAndReappliesOnlyWhatChanged() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        try (NetworkCluster c = NetworkCluster.start(home, java.util.Map.of("HYPR_AOT", "0"))) {
            c.apply(stack("1"));
            AtomicBoolean sawWebWaiting = new AtomicBoolean();
            NetworkCluster.await("stack shop 2/2 ready", Duration.ofMinutes(5), () -> {
                JsonNode st = c.get("stack", "shop").map(o -> o.path("status")).orElseThrow();
                if ("db to be healthy".equals(service(st, "web").path("waitingFor").asText())) {
                    sawWebWaiting.set(true);
                }
                return st;
            }, st -> "2/2".equals(st.path("servicesReady").asText()));
            assertTrue(sawWebWaiting.get(), "web was reported waiting for db to be healthy");
            JsonNode db = c.get("vm", "shop-db-1").orElseThrow();
            JsonNode web = c.get("vm", "shop-web-1").orElseThrow();
            Instant dbHealthy = Instant.parse(healthy(db.path("status")).path("lastTransitionTime").asText());
            Instant webCreated = Instant.parse(web.path("metadata").path("creationTimestamp").asText());
            assertFalse(webCreated.isBefore(dbHealthy), "web created " + webCreated + " before db was healthy " + dbHealthy);
            assertEquals("shop-default", web.path("spec").path("network").asText());

            // web fetched db's page by the service name over the stack network, then serves on its published port
            Path webLog = home.resolve("logs/shop-web-1.log");
            NetworkCluster.await("web's log to show db's page", Duration.ofMinutes(2),
                    () -> Files.exists(webLog) ? Files.readString(webLog) : "", l -> l.contains("hello from hypr") && l.contains("reached-db-1"));
            String page = NetworkCluster.await("web's published port", Duration.ofMinutes(2), () -> c.curl("http://127.0.0.1:18080/"),
                    Optional::isPresent).orElseThrow();
            assertTrue(page.contains("hello from hypr"), page);
            JsonNode ports = NetworkCluster.await("web's forward in the stack status", Duration.ofMinutes(1),
                    () -> service(c.get("stack", "shop").orElseThrow().path("status"), "web").path("ports"), p -> p.size() == 1);
            assertEquals(18080, ports.get(0).path("hostPort").asInt());

            // the same Stack again: the store sees no change, so nothing is reconciled or restarted
            String stackVersion = c.get("stack", "shop").orElseThrow().path("metadata").path("resourceVersion").asText();
            long dbPid = c.status("shop-db-1").path("pid").asLong();
            String webStarted = c.status("shop-web-1").path("startedAt").asText();
            c.apply(stack("1"));
            assertEquals(stackVersion, c.get("stack", "shop").orElseThrow().path("metadata").path("resourceVersion").asText());

            // web's environment changes: web restarts with it, db keeps running
            c.apply(stack("2"));
            NetworkCluster.await("web restarted with GEN=2", Duration.ofMinutes(3),
                    () -> Files.exists(webLog) ? Files.readString(webLog) : "", l -> l.contains("reached-db-2"));
            NetworkCluster.await("stack shop 2/2 ready after the change", Duration.ofMinutes(3),
                    () -> c.get("stack", "shop").orElseThrow().path("status"),
                    st -> "2/2".equals(st.path("servicesReady").asText()) && "Running".equals(st.path("phase").asText()));
            assertNotEquals(webStarted, c.status("shop-web-1").path("startedAt").asText());
            assertEquals(dbPid, c.status("shop-db-1").path("pid").asLong(), "db was not restarted");

            // db's VMM dies: the VM controller restarts it and the stack reports it ready again
            assertTrue(ProcessHandle.of(dbPid).map(ProcessHandle::destroyForcibly).orElse(false), "db's VMM " + dbPid + " runs");
            NetworkCluster.await("db restarted after its VMM was killed", Duration.ofMinutes(3), () -> c.status("shop-db-1"),
                    s -> s.path("pid").asLong() != 0 && s.path("pid").asLong() != dbPid && "Running".equals(s.path("phase").asText()));
            NetworkCluster.await("stack shop 2/2 ready after db's restart", Duration.ofMinutes(3),
                    () -> c.get("stack", "shop").orElseThrow().path("status").path("servicesReady").asText(), "2/2"::equals);

            // deleting the Stack removes its VMs and network, and keeps the named volume
            c.delete("stack", "shop");
            NetworkCluster.await("the stack's VMs and network gone", Duration.ofMinutes(2),
                    () -> c.get("vm", "shop-db-1").isPresent() || c.get("vm", "shop-web-1").isPresent()
                            || c.get("network", "shop-default").isPresent(), present -> !present);
            assertTrue(c.get("volume", "shop-data").isPresent(), "the named volume survives the stack");
        }
    }

    private static JsonNode healthy(JsonNode status) {
        for (JsonNode cond : status.path("conditions")) {
            if (cond.path("type").asText().equals("Healthy")) {
                return cond;
            }
        }
        throw new AssertionError("no Healthy condition in " + status);
    }
}
