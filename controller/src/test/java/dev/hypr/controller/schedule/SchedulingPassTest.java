package dev.hypr.controller.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement rules on in-memory Nodes, VMs and Volumes: no store, no etcd. */
class SchedulingPassTest {
    private final Map<String, Duration> notReady = new HashMap<>();

    private static ObjectNode node(String name, boolean ready, boolean cordoned, int cpus, long memoryMiB, String labels) {
        return Json.parseObject("{\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}},"
                + "\"spec\":{\"unschedulable\":" + cordoned + "},\"status\":{\"capacity\":{\"cpus\":" + cpus + ",\"memoryMiB\":"
                + memoryMiB + "},\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + (ready ? "True" : "False") + "\"}]}}");
    }

    private static ObjectNode vm(String name, String spec) {
        return Json.parseObject("{\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"7\","
                + "\"creationTimestamp\":\"2026-12-01T00:00:0" + name.length() % 10 + "Z\"},\"spec\":{" + spec + "}}");
    }

    private static ObjectNode volume(String name, String nodeName) {
        return Json.parseObject("{\"kind\":\"Volume\",\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"3\"},\"spec\":{"
                + "\"sizeMiB\":64" + (nodeName == null ? "" : ",\"nodeName\":\"" + nodeName + "\"") + "}}");
    }

    private List<SchedulingPass.Action> plan(List<ObjectNode> nodes, List<ObjectNode> volumes, ObjectNode... vms) {
        // ratio 1: CPUs are counted as they are, so the tests can fill a node
        return new SchedulingPass(nodes, volumes, n -> notReady.getOrDefault(n, Duration.ZERO), Duration.ofSeconds(30), 1)
                .plan(List.of(vms));
    }

    private static String boundTo(List<SchedulingPass.Action> actions, String vm) {
        for (SchedulingPass.Action a : actions) {
            if (a instanceof SchedulingPass.Bind b && b.vm().equals(vm)) {
                return b.node();
            }
        }
        return null;
    }

    private static String unschedulable(List<SchedulingPass.Action> actions, String vm) {
        for (SchedulingPass.Action a : actions) {
            if (a instanceof SchedulingPass.Unschedulable u && u.vm().equals(vm)) {
                return u.message();
            }
        }
        return null;
    }

    @Test
    void vmsSpreadOverTheLeastAllocatedNodes() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, ""), node("b", true, false, 4, 4096, ""),
                node("c", true, false, 4, 4096, ""));
        List<SchedulingPass.Action> actions = plan(nodes, List.of(), vm("v1", "\"memoryMiB\":512"), vm("v2", "\"memoryMiB\":512"),
                vm("v3", "\"memoryMiB\":512"), vm("v4", "\"memoryMiB\":512"), vm("v5", "\"memoryMiB\":512"), vm("v6", "\"memoryMiB\":512"));
        Map<String, Integer> perNode = new HashMap<>();
        for (String v : List.of("v1", "v2", "v3", "v4", "v5", "v6")) {
            perNode.merge(boundTo(actions, v), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), perNode);
    }

    @Test
    void alreadyBoundVmsCountAgainstTheirNode() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, ""), node("b", true, false, 4, 4096, ""));
        List<SchedulingPass.Action> actions = plan(nodes, List.of(),
                vm("old", "\"memoryMiB\":2048,\"nodeName\":\"a\""), vm("new", "\"memoryMiB\":512"));
        assertEquals("b", boundTo(actions, "new"));
        assertEquals(1, actions.size(), "the bound VM is left alone: " + actions);
    }

    @Test
    void noFitSaysWhyForEveryNodeAsKubernetesDoes() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 2, 1024, ""), node("b", true, false, 2, 1024, ""),
                node("c", true, true, 2, 8192, ""));
        List<SchedulingPass.Action> actions = plan(nodes, List.of(), vm("big", "\"memoryMiB\":2048"));
        assertEquals("0/3 nodes are available: 2 Insufficient memory, 1 node(s) were unschedulable", unschedulable(actions, "big"));
        List<SchedulingPass.Action> cpu = plan(nodes, List.of(), vm("wide", "\"cpus\":3,\"memoryMiB\":256"));
        assertEquals("0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable", unschedulable(cpu, "wide"));
    }

    @Test
    void nodeSelectorMatchesNodeLabels() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, "\"disk\":\"hdd\""),
                node("b", true, false, 4, 4096, "\"disk\":\"ssd\""), node("c", false, false, 4, 4096, "\"disk\":\"ssd\""));
        assertEquals("b", boundTo(plan(nodes, List.of(), vm("db", "\"nodeSelector\":{\"disk\":\"ssd\"}")), "db"));
        assertEquals("0/3 nodes are available: 2 node(s) didn't match nodeSelector, 1 node(s) were not ready",
                unschedulable(plan(nodes, List.of(), vm("db", "\"nodeSelector\":{\"disk\":\"nvme\"}")), "db"));
    }

    @Test
    void aVmGoesToItsVolumesNodeAndAnUnboundVolumeIsBoundWithIt() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, ""), node("b", true, false, 4, 4096, ""));
        ObjectNode onB = volume("data", "b");
        List<SchedulingPass.Action> actions = plan(nodes, List.of(onB, volume("fresh", null)),
                vm("db", "\"volumes\":[{\"name\":\"d\",\"volumeRef\":\"data\",\"mountPath\":\"/d\"}]"),
                vm("w1", "\"memoryMiB\":1024,\"volumes\":[{\"name\":\"f\",\"volumeRef\":\"fresh\",\"mountPath\":\"/f\"}]"),
                vm("w22", "\"volumes\":[{\"name\":\"f\",\"volumeRef\":\"fresh\",\"mountPath\":\"/f\"}]"));
        assertEquals("b", boundTo(actions, "db"));
        String freshNode = boundTo(actions, "w1");
        assertEquals(freshNode, boundTo(actions, "w22"), "a second user of a volume bound in this pass follows it");
        SchedulingPass.Bind first = (SchedulingPass.Bind) actions.stream()
                .filter(a -> a instanceof SchedulingPass.Bind b && b.vm().equals("w1")).findFirst().orElseThrow();
        assertEquals(Map.of("fresh", 3L), first.volumes(), "bound in the VM's transaction, at the revision read");
    }

    @Test
    void aVolumesNodeNotReadyKeepsItsVmPendingSayingTheVolumeCannotMove() {
        List<ObjectNode> nodes = List.of(node("a", false, false, 4, 4096, ""), node("b", true, false, 4, 4096, ""));
        String why = unschedulable(plan(nodes, List.of(volume("data", "a")),
                vm("db", "\"volumes\":[{\"name\":\"d\",\"volumeRef\":\"data\",\"mountPath\":\"/d\"}]")), "db");
        assertEquals("0/2 nodes are available: 1 node(s) did not have volume data (it is on node a), 1 node(s) were not ready;"
                + " volume data is node-local on a and cannot move", why);
    }

    @Test
    void aLostNodesVmsAreUnboundAndPlacedElsewhereOnlyAfterTheGracePeriod() {
        List<ObjectNode> nodes = List.of(node("a", false, false, 4, 4096, ""), node("b", true, false, 4, 4096, ""));
        ObjectNode running = vm("web", "\"nodeName\":\"a\"");
        running.putObject("status").put("pid", 123).put("nodeName", "a");
        notReady.put("a", Duration.ofSeconds(29));
        assertTrue(plan(nodes, List.of(), running).isEmpty(), "within the grace period nothing moves");
        notReady.put("a", Duration.ofSeconds(30));
        List<SchedulingPass.Action> actions = plan(nodes, List.of(), running);
        assertTrue(actions.get(0) instanceof SchedulingPass.Unbind u && u.node().equals("a"), actions.toString());
        assertEquals("b", boundTo(actions, "web"), "its old node is fenced by now: placed at once");
    }

    @Test
    void anEvictedVmWaitsUntilItsOldNodeStoppedIt() {
        List<ObjectNode> nodes = List.of(node("a", true, true, 4, 4096, ""), node("b", true, false, 4, 4096, ""));
        ObjectNode evicted = vm("web", "");
        evicted.putObject("status").put("pid", 123).put("nodeName", "a");
        assertTrue(plan(nodes, List.of(), evicted).isEmpty(), "still running on a: never on two nodes at once");
        ((ObjectNode) evicted.get("status")).remove("pid");
        assertEquals("b", boundTo(plan(nodes, List.of(), evicted), "web"));
    }

    @Test
    void stoppedVmsWaitUnboundAndTakeNothing() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 1, 512, ""));
        List<SchedulingPass.Action> actions = plan(nodes, List.of(), vm("off", "\"running\":false,\"memoryMiB\":512,\"nodeName\":\"a\""),
                vm("on", "\"memoryMiB\":512"), vm("later", "\"running\":false"));
        assertEquals("a", boundTo(actions, "on"));
        assertEquals(null, boundTo(actions, "later"));
    }

    @Test
    void aDeletedVmThatNoNodeRunsLosesTheVmFinalizer() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, ""));
        ObjectNode gone = vm("gone", "");
        ((ObjectNode) gone.get("metadata")).put("deletionTimestamp", "2026-12-01T00:00:00Z").putArray("finalizers").add("hypr.dev/vm");
        List<SchedulingPass.Action> actions = plan(nodes, List.of(), gone);
        assertEquals(List.of(new SchedulingPass.ReleaseFinalizer("gone", 7)), actions);
    }

    @Test
    void aVmTheUserPinsAfterItWasUnschedulableIsMarkedPinnedNotMoved() {
        List<ObjectNode> nodes = List.of(node("a", true, false, 4, 4096, ""));
        ObjectNode pinned = vm("db", "\"nodeName\":\"a\"");
        pinned.putObject("status").putArray("conditions").addObject().put("type", "Scheduled").put("status", "False");
        assertEquals(List.of(new SchedulingPass.Pinned("db", "a")), plan(nodes, List.of(), pinned));
    }
}
