package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.store.etcd.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nodes: each hyprd registers one, its etcd lease is its heartbeat; cordon/uncordon/drain through hyprctl. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NodeIT {
    @TempDir
    Path dir;

    private static boolean ready(JsonNode node, String status) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return status.equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static Map<String, String> env(EtcdServer etcd, String node) {
        return Map.of("HYPR_STORE", etcd.storeUrl(), "HYPR_CONTROLLERS_ENABLED", "false", "HYPR_NODE_NAME", node,
                "HYPR_NODE_LEASE_TTL", "3", "HYPR_NODE_REGISTER", "true", "HYPR_AOT", "0");
    }

    @Test
    void twoNodesRegisterOnEtcdAndADeadOneTurnsNotReadyWhenItsLeaseExpires() throws Exception {
        try (EtcdServer etcd = EtcdServer.start();
                HyprdProcess a = HyprdProcess.start(dir.resolve("a"), List.of(), env(etcd, "node-a"));
                HyprdProcess b = HyprdProcess.start(dir.resolve("b"), List.of(), env(etcd, "node-b"))) {
            Duration bound = Duration.ofMinutes(2);
            JsonNode nodeA = a.await("Node", "node-a", n -> ready(n, "True") && n.path("status").has("allocated"), bound);
            a.await("Node", "node-b", n -> ready(n, "True"), bound);
            assertTrue(nodeA.path("status").path("capacity").path("cpus").asInt() >= 1);
            assertTrue(nodeA.path("status").path("capacity").path("memoryMiB").asLong() > 0);
            assertEquals(3, nodeA.path("status").path("leaseTTLSeconds").asInt());

            Hyprctl ctl = new Hyprctl(a.socket(), dir);
            Hyprctl.Run get = ctl.run("get", "nodes");
            assertEquals(0, get.exitCode(), get.toString());
            assertTrue(get.stdout().matches("(?s).*node-a\\s+Ready\\s+0/\\d+.*"), get.stdout());
            assertTrue(get.stdout().matches("(?s).*node-b\\s+Ready\\s.*"), get.stdout());

            Hyprctl.Run cordon = ctl.run("cordon", "node-b");
            assertEquals(0, cordon.exitCode(), cordon.toString());
            assertTrue(cordon.stdout().contains("node/node-b cordoned"), cordon.stdout());
            assertTrue(b.object("Node", "node-b").orElseThrow().path("spec").path("unschedulable").asBoolean());
            assertTrue(ctl.run("get", "nodes").stdout().matches("(?s).*node-b\\s+Ready,SchedulingDisabled\\s.*"));
            Hyprctl.Run drain = ctl.run("drain", "node-b");
            assertEquals(0, drain.exitCode(), "no VM is bound to node-b: " + drain);
            Hyprctl.Run uncordon = ctl.run("uncordon", "node-b");
            assertEquals(0, uncordon.exitCode(), uncordon.toString());
            assertTrue(!a.object("Node", "node-b").orElseThrow().path("spec").path("unschedulable").asBoolean());
            assertEquals(1, ctl.run("cordon", "no-such-node").exitCode());

            // a dead host: no clean shutdown, the lease runs out (TTL 3 s) and node-a marks node-b NotReady
            b.kill9();
            a.await("Node", "node-b", n -> ready(n, "False")
                    && "NodeLeaseExpired".equals(n.path("status").path("conditions").get(0).path("reason").asText("")), bound);
            assertTrue(ctl.run("get", "nodes").stdout().matches("(?s).*node-b\\s+NotReady\\s.*"));
            // its return: Ready again
            b.launch();
            a.await("Node", "node-b", n -> ready(n, "True"), bound);
        }
    }

    @Test
    void theSqliteStoreRegistersItsOneNodeAndDrainNamesItsVms() throws Exception {
        try (HyprdProcess h = HyprdProcess.start(dir.resolve("one"), List.of(),
                Map.of("HYPR_CONTROLLERS_ENABLED", "false", "HYPR_NODE_NAME", "solo", "HYPR_NODE_REGISTER", "true", "HYPR_AOT", "0"))) {
            JsonNode node = h.await("Node", "solo", n -> ready(n, "True"), Duration.ofMinutes(2));
            assertTrue(!node.path("status").has("leaseTTLSeconds"));
            Hyprctl ctl = new Hyprctl(h.socket(), dir);
            java.nio.file.Files.writeString(dir.resolve("vm.yaml"), "apiVersion: hypr.dev/v1alpha1\nkind: VM\nmetadata:\n  name: web\n"
                    + "spec:\n  rootfs: /nonexistent.sqfs\n  memoryMiB: 128\n");
            assertEquals(0, ctl.run("apply", "-f", dir.resolve("vm.yaml").toString()).exitCode());
            Hyprctl.Run drain = ctl.run("drain", "solo");
            assertEquals(1, drain.exitCode(), drain.toString());
            assertTrue(drain.stderr().contains("web"), drain.stderr());
            assertTrue(h.object("Node", "solo").orElseThrow().path("spec").path("unschedulable").asBoolean(), "drain cordons first");
        }
    }
}
