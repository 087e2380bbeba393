package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.HostForward.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardPlanTest {
    static Forward tcp(int hostPort, String target, int guestPort) {
        return new Forward("web", Protocol.TCP, "127.0.0.1", hostPort, target, guestPort);
    }

    @Test
    void equalSetsNeedNothing() {
        assertTrue(ForwardPlan.of(List.of(tcp(8080, "10.88.0.2", 80)), List.of(tcp(8080, "10.88.0.2", 80))).isEmpty());
    }

    @Test
    void missingForwardIsExposedAndStrayOneUnexposed() {
        ForwardPlan p = ForwardPlan.of(List.of(tcp(8080, "10.88.0.2", 80)), List.of(tcp(9090, "10.88.0.2", 90)));
        assertEquals(List.of(tcp(8080, "10.88.0.2", 80)), p.toExpose());
        assertEquals(List.of(tcp(9090, "10.88.0.2", 90)), p.toUnexpose());
    }

    @Test
    void forwardToAnOldAddressIsReplaced() {
        ForwardPlan p = ForwardPlan.of(List.of(tcp(8080, "10.88.0.3", 80)), List.of(tcp(8080, "10.88.0.2", 80)));
        assertEquals(List.of(tcp(8080, "10.88.0.2", 80)), p.toUnexpose());
        assertEquals(List.of(tcp(8080, "10.88.0.3", 80)), p.toExpose());
    }

    @Test
    void tcpAndUdpOnOnePortAreDifferentForwards() {
        Forward udp = new Forward("web", Protocol.UDP, "127.0.0.1", 8080, "10.88.0.2", 80);
        ForwardPlan p = ForwardPlan.of(List.of(tcp(8080, "10.88.0.2", 80), udp), List.of(tcp(8080, "10.88.0.2", 80)));
        assertEquals(List.of(udp), p.toExpose());
        assertTrue(p.toUnexpose().isEmpty());
    }
}
