package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.vmm.HostForward.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsernetTableTest {
    @Test
    void readsHostForwardsAndSkipsConnections() {
        String text = """
                Hub -1 (n0):
                  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ
                  TCP[ESTABLISHED]   21       127.0.0.1 41234       10.0.2.15    80     0     0
                  TCP[HOST_FORWARD]  13       127.0.0.1  8080       10.0.2.15    80     0     0
                  UDP[HOST_FORWARD]  14               *  5353       10.0.2.15    53     0     0
                """;
        assertEquals(List.of(
                new Forward("vm", Protocol.TCP, "127.0.0.1", 8080, "10.0.2.15", 80),
                new Forward("vm", Protocol.UDP, "0.0.0.0", 5353, "10.0.2.15", 53)), UsernetTable.hostForwards("vm", text));
    }

    @Test
    void emptyTableHasNoForwards() {
        assertEquals(List.of(), UsernetTable.hostForwards("vm", "Hub -1 (n0):\n  Protocol[State]    FD  Source Address\n"));
    }
}
