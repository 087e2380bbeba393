package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.api.net.Ipv4Address;
import dev.hypr.controller.net.ipam.HostNetwork;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkReconcilerTest {
    private final InMemoryPersistence persistence = new InMemoryPersistence(100);
    /** Records host clean-ups instead of running ip/nft: a unit test never touches the host. */
    private final List<String> removedFromHost = new java.util.ArrayList<>();
    /** The host programs the fake host lacks (none: a unit test never depends on this machine's PATH). */
    private List<HostProgram> missingOnHost = List.of();
    private final EventRecorder events = new EventRecorder();
    private List<HostNetwork> hostNetworks = List.of();
    private final NetworkReconciler reconciler = withStore(new CachedObjectStore(persistence, Clock.systemUTC()));

    private NetworkReconciler withStore(CachedObjectStore store) {
        NetworkReconciler r = new NetworkReconciler();
        r.store = store;
        r.events = events;
        r.hostNetworks = () -> hostNetworks;
        r.bridges = new dev.hypr.controller.net.bridge.BridgeBackend() {
            @Override
            public void removeNetwork(String network) {
                removedFromHost.add(network);
            }

            @Override
            public List<HostProgram> missingPrograms() {
                return missingOnHost;
            }
        };
        r.events = events;
        return r;
    }

    private void apply(String json) {
        reconciler.store.apply(List.of(Json.parseObject(json)), false);
    }

    private void network(String name, String spec) {
        apply("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }

    private void vm(String name, String network) {
        apply("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"rootfs\":\"/r\",\"command\":[\"x\"]" + (network == null ? "" : ",\"network\":\"" + network + "\"") + "}}");
    }

    private JsonNode status(String net) throws Exception {
        reconciler.reconcile(net); // adds the finalizer
        reconciler.reconcile(net);
        return reconciler.store.get(Kind.NETWORK, net).orElseThrow().path("status");
    }

    @Test
    void defaultNetworkDerivesSubnetGatewayAndAllocatesItsVms() throws Exception {
        network("default", "{}");
        vm("web", null);
        vm("rootless", "user");
        JsonNode s = status("default");
        assertEquals("10.88.0.0/16", s.path("subnet").asText());
        assertEquals("10.88.0.1", s.path("gateway").asText());
        assertTrue(s.path("bridge").asText().startsWith("hyb-"));
        assertEquals(1, s.path("allocations").size(), "user-mode VMs take no address");
        assertEquals("web", s.path("allocations").get(0).path("vm").asText());
        assertEquals("10.88.0.2", s.path("allocations").get(0).path("ip").asText());
    }

    @Test
    void aSubnetOverlappingTheHostIsNotCreatedAndSaysWhatItOverlaps() throws Exception {
        hostNetworks = List.of(
                HostNetwork.address("eth0", Ipv4Address.parse("192.168.1.10"), 24),
                HostNetwork.address("hyb-0123abcd", Ipv4Address.parse("10.88.0.1"), 16), // hyprd's own bridge
                HostNetwork.parseProcRoutes("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                        + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n").get(0)); // default route
        network("lan", "{\"subnet\":\"192.168.1.0/24\"}");
        JsonNode s = status("lan");
        JsonNode ready = s.path("conditions").get(0);
        assertEquals("SubnetOverlap", ready.path("reason").asText());
        assertEquals("False", ready.path("status").asText());
        assertEquals("192.168.1.0/24 overlaps address 192.168.1.10/24 on eth0 of the host; set another spec.subnet",
                ready.path("message").asText());
        assertTrue(s.path("subnet").isMissingNode(), "not created: no subnet, no allocations");
        assertEquals(1, events.list(e -> e.name().equals("lan") && e.reason().equals("SubnetOverlap")).size());

        network("default", "{}"); // beside the host's 10.88 bridge (hyprd's own) and the default route
        assertEquals("10.88.0.0/16", status("default").path("subnet").asText());
    }

    @Test
    void allocationsSurviveARestartOfTheStoreAndAreReleasedOnDelete() throws Exception {
        network("default", "{}");
        vm("a", null);
        vm("b", null);
        status("default");
        // a new hyprd on the same persisted state: same addresses, none handed out twice
        NetworkReconciler restarted = withStore(new CachedObjectStore(persistence, Clock.systemUTC()));
        restarted.store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"c\"},"
                + "\"spec\":{\"rootfs\":\"/r\",\"command\":[\"x\"]}}")), false);
        restarted.reconcile("default");
        JsonNode s = restarted.store.get(Kind.NETWORK, "default").orElseThrow().path("status");
        assertEquals("a=10.88.0.2 b=10.88.0.3 c=10.88.0.4", describe(s));
        restarted.store.delete(Kind.VM, "a", 0);
        restarted.reconcile("default");
        assertEquals("b=10.88.0.3 c=10.88.0.4", describe(restarted.store.get(Kind.NETWORK, "default").orElseThrow().path("status")));
    }

    @Test
    void otherNetworksGetTheirOwnSubnetAndOverlapsAreRejected() throws Exception {
        network("default", "{}");
        network("back", "{}");
        network("clash", "{\"subnet\":\"10.88.5.0/24\"}");
        status("default");
        assertEquals("10.89.0.0/24", status("back").path("subnet").asText());
        try {
            status("clash");
        } catch (dev.hypr.controller.runtime.TerminalException e) {
            assertTrue(e.getMessage().contains("overlaps 10.88.0.0/16"), e.getMessage());
        }
        JsonNode ready = Conditions.get(reconciler.store.get(Kind.NETWORK, "clash").orElseThrow().path("status"), "Ready").orElseThrow();
        assertEquals("InvalidSpec", ready.path("reason").asText());
    }

    @Test
    void networkInUseIsHeldWithAMessageNamingTheVms() throws Exception {
        network("back", "{}");
        vm("db", "back");
        status("back");
        reconciler.store.delete(Kind.NETWORK, "back", 0);
        reconciler.reconcile("back");
        assertEquals(List.of(), removedFromHost, "the bridge stays while a VM uses it");
        JsonNode net = reconciler.store.get(Kind.NETWORK, "back").orElseThrow();
        JsonNode ready = Conditions.get(net.path("status"), "Ready").orElseThrow();
        assertEquals("InUse", ready.path("reason").asText());
        assertTrue(ready.path("message").asText().contains("in use by VM(s) db"), ready.toString());
        reconciler.store.delete(Kind.VM, "db", 0);
        reconciler.reconcile("back");
        assertTrue(reconciler.store.get(Kind.NETWORK, "back").isEmpty(), "released once unused");
        assertEquals(List.of("back"), removedFromHost, "bridge, NAT and DNS removed with the network");
    }

    @Test
    void aMissingHostProgramIsAConditionAndAnEventNamingItsPackage() throws Exception {
        missingOnHost = List.of(HostProgram.NFT);
        network("default", "{}");
        vm("web", null);
        JsonNode s = status("default");
        assertEquals("10.88.0.2", s.path("allocations").get(0).path("ip").asText(), "addresses are still kept");
        JsonNode ready = Conditions.get(s, "Ready").orElseThrow();
        assertEquals("False", ready.path("status").asText());
        assertEquals("NetworkUnavailable", ready.path("reason").asText());
        assertEquals("nft not found (install nftables)", ready.path("message").asText());
        assertEquals(List.of("NetworkUnavailable: nft not found (install nftables)"),
                events.list(e -> true).stream().map(e -> e.reason() + ": " + e.message()).toList());

        missingOnHost = List.of(); // installed: Ready again on the next look
        reconciler.reconcile("default");
        JsonNode after = Conditions.get(reconciler.store.get(Kind.NETWORK, "default").orElseThrow().path("status"), "Ready").orElseThrow();
        assertEquals("Allocated", after.path("reason").asText());
    }

    @Test
    void aVmOnSeveralNetworksGetsAnAddressFromEachAndLosesOnlyTheOneItLeaves() throws Exception {
        network("front", "{\"subnet\":\"10.90.0.0/24\"}");
        network("back", "{\"subnet\":\"10.91.0.0/24\"}");
        vm("b", "back");
        apply("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"rootfs\":\"/r\","
                + "\"command\":[\"x\"],\"networks\":[{\"name\":\"front\"},{\"name\":\"back\",\"aliases\":[\"api\"]}]}}");
        assertEquals("a=10.90.0.2", describe(status("front")));
        assertEquals("a=10.91.0.2 b=10.91.0.3", describe(status("back")));
        // a leaves back: its address there is released, b keeps its own; front is untouched
        apply("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"rootfs\":\"/r\","
                + "\"command\":[\"x\"],\"networks\":[{\"name\":\"front\"}]}}");
        var vmA = reconciler.store.get(Kind.VM, "a").orElseThrow();
        assertEquals(List.of("front", "back"), reconciler.secondaryWatches().get(0).keysFor().apply(vmA), "the network it left is woken too");
        assertEquals("b=10.91.0.3", describe(status("back")));
        assertEquals("a=10.90.0.2", describe(status("front")));
    }

    private static String describe(JsonNode status) {
        StringBuilder sb = new StringBuilder();
        status.path("allocations").forEach(a -> sb.append(sb.length() == 0 ? "" : " ").append(a.path("vm").asText()).append('=')
                .append(a.path("ip").asText()));
        return sb.toString();
    }
}
