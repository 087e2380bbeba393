package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.HostForward.Protocol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract of the gvproxy client against the documented API (a fake server on a Unix socket). */
class GvproxyForwarderTest {
    @TempDir
    Path dir;
    private FakeGvproxy gvproxy;
    private GvproxyForwarder client;

    @BeforeEach
    void start() throws Exception {
        gvproxy = new FakeGvproxy(dir.resolve("gvproxy.sock"));
        client = new GvproxyForwarder(dir.resolve("gvproxy.sock"), ip -> ip.equals("192.168.127.2") ? "web" : "");
    }

    @AfterEach
    void stop() throws Exception {
        gvproxy.close();
    }

    @Test
    void exposeListUnexposeRoundTrip() throws Exception {
        Forward any = new Forward("web", Protocol.TCP, "0.0.0.0", 8080, "192.168.127.2", 80);
        Forward udp = new Forward("web", Protocol.UDP, "127.0.0.1", 5353, "192.168.127.2", 53);
        client.expose(any);
        client.expose(udp);
        assertEquals(List.of(any, udp).stream().map(Forward::toString).sorted().toList(),
                client.list().stream().map(Forward::toString).sorted().toList());
        assertTrue(gvproxy.requests.contains(
                "POST /services/forwarder/expose HTTP/1.1 {\"local\":\":8080\",\"protocol\":\"tcp\",\"remote\":\"192.168.127.2:80\"}"),
                gvproxy.requests.toString());
        client.unexpose(any);
        assertTrue(gvproxy.requests.contains("POST /services/forwarder/unexpose HTTP/1.1 {\"local\":\":8080\",\"protocol\":\"tcp\"}"),
                gvproxy.requests.toString());
        assertEquals(List.of(udp), client.list());
    }

    @Test
    void alreadyRunningAndNotFoundAreIdempotentOutcomes() throws Exception {
        Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", 8080, "192.168.127.2", 80);
        client.expose(f);
        client.expose(f);
        client.unexpose(f);
        client.unexpose(f);
        assertEquals(List.of(), client.list());
    }

    @Test
    void addressInUseIsAPortConflictOtherErrorsAreNot() {
        Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", 8080, "192.168.127.2", 80);
        gvproxy.failExposeWith = "listen tcp 127.0.0.1:8080: bind: address already in use";
        assertThrows(PortConflictException.class, () -> client.expose(f));
        gvproxy.failExposeWith = "something else broke";
        ForwardException e = assertThrows(ForwardException.class, () -> client.expose(f));
        assertTrue(!(e instanceof PortConflictException) && e.getMessage().contains("something else broke"), e.getMessage());
    }

    @Test
    void restartedGvproxyReportsNothingSoTheDiffExposesEverythingAgain() throws Exception {
        Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", 8080, "192.168.127.2", 80);
        client.expose(f);
        gvproxy.forwards.clear(); // gvproxy keeps forwards in memory only
        ForwardPlan plan = ForwardPlan.of(List.of(f), client.list());
        assertEquals(List.of(f), plan.toExpose());
    }

    @Test
    void unreachableSocketIsAnError() throws Exception {
        gvproxy.close();
        assertThrows(ForwardException.class, () -> new GvproxyForwarder(dir.resolve("missing.sock"), ip -> "").list());
    }
}
