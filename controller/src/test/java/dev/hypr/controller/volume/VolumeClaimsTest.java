package dev.hypr.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.volume.VolumeClaims.Claim;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One writer at a time, any number of readers; holders keep their claim; first writer wins. */
class VolumeClaimsTest {
    private static Claim rw(String vm) {
        return new Claim(vm, false);
    }

    private static Claim ro(String vm) {
        return new Claim(vm, true);
    }

    @Test
    void firstWriterWinsTheSecondIsRefusedNamingTheHolder() {
        var out = VolumeClaims.assign(List.of(), List.of(rw("a"), rw("b")));
        assertEquals(List.of(rw("a")), out.claims());
        assertEquals(Map.of("b", "a"), out.refused());
    }

    @Test
    void theHolderKeepsItsClaimEvenWhenAnOlderVmAsksLater() {
        var out = VolumeClaims.assign(List.of(rw("b")), List.of(rw("a"), rw("b")));
        assertEquals(List.of(rw("b")), out.claims());
        assertEquals(Map.of("a", "b"), out.refused());
    }

    @Test
    void readersAreAlwaysGrantedBesideOneWriter() {
        var out = VolumeClaims.assign(List.of(), List.of(ro("r1"), rw("w"), ro("r2")));
        assertEquals(List.of(ro("r1"), rw("w"), ro("r2")), out.claims());
        assertEquals(Map.of(), out.refused());
    }

    @Test
    void aReleasedClaimGoesToTheWaitingWriter() {
        var out = VolumeClaims.assign(List.of(rw("a")), List.of(rw("b")));
        assertEquals(List.of(rw("b")), out.claims());
        assertEquals(Map.of(), out.refused());
    }

    @Test
    void aModeChangeIsANewRequest() {
        var out = VolumeClaims.assign(List.of(ro("a"), rw("b")), List.of(rw("a"), rw("b")));
        assertEquals(List.of(rw("b")), out.claims());
        assertEquals(Map.of("a", "b"), out.refused());
    }

    @Test
    void aCorruptStatusWithTwoWritersKeepsOnlyTheFirst() {
        var out = VolumeClaims.assign(List.of(rw("a"), rw("b")), List.of(rw("a"), rw("b")));
        assertEquals(List.of(rw("a")), out.claims());
        assertEquals(Map.of("b", "a"), out.refused());
    }
}
