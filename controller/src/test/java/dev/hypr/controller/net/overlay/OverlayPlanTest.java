package dev.hypr.controller.net.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.controller.net.InterfaceNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlayPlanTest {
    private static final Map<String, String> NODES = Map.of("a", "10.9.0.1", "b", "10.9.0.2", "c", "10.9.0.3");

    private static ObjectNode network(String name, int vni, String... vmMacs) {
        StringBuilder allocations = new StringBuilder();
        for (int i = 0; i < vmMacs.length; i += 2) {
            allocations.append(i == 0 ? "" : ",").append("{\"vm\":\"").append(vmMacs[i]).append("\",\"ip\":\"10.88.0.")
                    .append(2 + i).append("\",\"mac\":\"").append(vmMacs[i + 1]).append("\"}");
        }
        return Json.parseObject("{\"kind\":\"Network\",\"metadata\":{\"name\":\"" + name + "\"},\"status\":{\"subnet\":\"10.88.0.0/16\","
                + "\"gateway\":\"10.88.0.1\",\"vni\":" + vni + ",\"allocations\":[" + allocations + "]}}");
    }

    private static ObjectNode vm(String name, String network, String node) {
        return Json.parseObject("{\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"rootfs\":\"/r\",\"network\":\""
                + network + "\"" + (node == null ? "" : ",\"nodeName\":\"" + node + "\"") + "}}");
    }

    @Test
    void aNetworkWithVmsHereAndOnOtherNodesFloodsToThoseNodesAndPointsEachRemoteMacAtItsNode() {
        ObjectNode net = network("web", 4242, "v1", "02:68:79:00:00:01", "v2", "02:68:79:00:00:02", "v3", "02:68:79:00:00:03");
        OverlayPlan p = OverlayPlan.of(net, List.of(vm("v1", "web", "a"), vm("v2", "web", "b"), vm("v3", "web", "c")), NODES, "a",
                4789).orElseThrow();
        assertEquals(InterfaceNames.vxlan("web"), p.vxlan());
        assertEquals(InterfaceNames.bridge("web"), p.bridge());
        assertEquals(4242, p.vni());
        assertEquals("10.9.0.1", p.localAddress());
        assertEquals(Set.of("10.9.0.2", "10.9.0.3"), p.peers());
        assertEquals(Map.of("02:68:79:00:00:02", "10.9.0.2", "02:68:79:00:00:03", "10.9.0.3"), p.remoteMacs());
        assertEquals(Set.of(new VxlanLinks.Entry(VxlanLinks.FLOOD, "10.9.0.2"), new VxlanLinks.Entry(VxlanLinks.FLOOD, "10.9.0.3"),
                new VxlanLinks.Entry("02:68:79:00:00:02", "10.9.0.2"), new VxlanLinks.Entry("02:68:79:00:00:03", "10.9.0.3")),
                VxlanLinks.wanted(p));
    }

    @Test
    void noDeviceWhenTheNetworkLivesOnOneNodeOrNoneOfItsVmsRunsHere() {
        ObjectNode net = network("web", 7, "v1", "02:68:79:00:00:01", "v2", "02:68:79:00:00:02");
        assertTrue(OverlayPlan.of(net, List.of(vm("v1", "web", "a"), vm("v2", "web", "a")), NODES, "a", 4789).isEmpty(),
                "all on this node: the bridge alone carries it");
        assertTrue(OverlayPlan.of(net, List.of(vm("v1", "web", "b"), vm("v2", "web", "c")), NODES, "a", 4789).isEmpty(),
                "none here: nothing to join");
        assertTrue(OverlayPlan.of(net, List.of(vm("v1", "web", "a"), vm("v2", "web", null)), NODES, "a", 4789).isEmpty(),
                "a VM not bound to a node yet spans nothing");
        assertTrue(OverlayPlan.of(net, List.of(vm("v1", "web", "a"), vm("v2", "other", "b")), NODES, "a", 4789).isEmpty(),
                "a VM of another network does not pull this one across");
        assertTrue(OverlayPlan.of(network("web", 0), List.of(vm("v1", "web", "a"), vm("v2", "web", "b")), NODES, "a", 4789)
                .isEmpty(), "no identifier allocated yet");
        assertTrue(OverlayPlan.of(net, List.of(vm("v1", "web", "a"), vm("v2", "web", "b")), Map.of("a", "10.9.0.1"), "a", 4789)
                .isEmpty(), "a node without an address cannot be reached");
    }

    @Test
    void aNodesAddressIsItsFirstInternalIp() {
        ObjectNode node = Json.parseObject("{\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"h\"},"
                + "{\"type\":\"InternalIP\",\"address\":\"10.9.0.7\"},{\"type\":\"InternalIP\",\"address\":\"172.17.0.1\"}]}}");
        assertEquals("10.9.0.7", OverlayPlan.addressOf(node).orElseThrow());
    }
}
