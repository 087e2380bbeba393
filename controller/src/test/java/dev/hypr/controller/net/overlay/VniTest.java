package dev.hypr.controller.net.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VniTest {
    @Test
    void derivedFromTheUidKeptOnceStoredAndNeverOneAnotherNetworkHolds() {
        int fromUid = Vni.choose(0, "uid-1", List.of());
        assertTrue(fromUid >= 1 && fromUid <= Vni.MAX, "24 bits, never 0: " + fromUid);
        assertEquals(fromUid, Vni.choose(0, "uid-1", List.of()), "every node derives the same one");
        assertEquals(fromUid % Vni.MAX + 1, Vni.choose(0, "uid-1", List.of(fromUid)), "taken: the next free one");
        assertEquals(77, Vni.choose(77, "uid-1", List.of(fromUid)), "a stored one stays");
        assertNotEquals(77, Vni.choose(77, "uid-1", List.of(77)), "unless another Network holds it");
        assertEquals(1, Vni.choose(0, "x", List.of()) > 0 ? 1 : 0);
        assertEquals(1, Vni.choose(Vni.MAX + 5, "uid-2", List.of()) <= Vni.MAX ? 1 : 0, "an out-of-range stored one is replaced");
    }
}
