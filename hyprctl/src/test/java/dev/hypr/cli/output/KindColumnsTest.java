package dev.hypr.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class KindColumnsTest {
    @Test
    void portsShowTheEphemeralHostPortPickedForABarePort() {
        assertEquals("8080:80/tcp,127.0.0.1:~41234:443/tcp,53/udp", KindColumns.ports(
                Json.parseObject("""
                        {"p":[{"hostPort":8080,"guestPort":80},{"hostIP":"127.0.0.1","guestPort":443},
                              {"guestPort":53,"protocol":"UDP"}]}""").path("p"),
                Json.parseObject("""
                        {"p":[{"hostIP":"0.0.0.0","hostPort":8080,"guestPort":80,"protocol":"TCP"},
                              {"hostIP":"127.0.0.1","hostPort":41234,"guestPort":443,"protocol":"TCP","ephemeral":true}]}""")
                        .path("p")));
    }

    @Test
    void forwardsShowWhereEachPublishedPortGoesAndWhatIsWrong() {
        assertEquals("127.0.0.1:8080->10.88.0.2:80/tcp,0.0.0.0:5353->10.88.0.2:53/udp(PortConflict)",
                KindColumns.forwards(Json.parseObject("""
                        {"f":[{"hostIP":"127.0.0.1","hostPort":8080,"guestPort":80,"protocol":"TCP","forwarder":"proxy",
                               "state":"Exposed","target":"10.88.0.2:80"},
                              {"hostIP":"0.0.0.0","hostPort":5353,"guestPort":53,"protocol":"UDP","forwarder":"proxy",
                               "state":"PortConflict","target":"10.88.0.2:53"}]}""").path("f")));
        assertEquals(Fields.NONE, KindColumns.forwards(Json.MAPPER.createArrayNode()));
    }

    @Test
    void forwardsIsAWideVmColumn() {
        assertTrue(KindColumns.headers(KindColumns.of(Kind.VM, true)).contains("FORWARDS"));
        assertFalse(KindColumns.headers(KindColumns.of(Kind.VM, false)).contains("FORWARDS"));
    }

    @Test
    void wideVmsShowTheirNodeAndAVmTheSchedulerHasNotBoundIsPending() {
        List<KindColumns.Column> wide = KindColumns.of(Kind.VM, true);
        assertFalse(KindColumns.headers(KindColumns.of(Kind.VM, false)).contains("NODE"));
        var vm = Json.parseObject("""
                {"metadata":{"name":"web"},"spec":{"nodeName":"node-b"},"status":{"phase":"Running",
                 "conditions":[{"type":"Scheduled","status":"True","reason":"Bound"}]}}""");
        List<String> cells = KindColumns.cells(wide, vm, java.time.Instant.EPOCH);
        assertEquals("node-b", cells.get(KindColumns.headers(wide).indexOf("NODE")));
        assertEquals("Running", cells.get(KindColumns.headers(wide).indexOf("PHASE")));
        // its node was lost: the status still says Running there, the VM waits for a new node
        var lost = Json.parseObject("""
                {"metadata":{"name":"web"},"spec":{},"status":{"phase":"Running",
                 "conditions":[{"type":"Scheduled","status":"False","reason":"NodeLost"}]}}""");
        assertEquals("Pending", Fields.phase(lost));
    }
}
