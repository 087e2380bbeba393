package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashBackoffTest {
    @Test
    void firstCrashRestartsAtOnce() {
        assertEquals(Duration.ZERO, CrashBackoff.delay(1));
        assertEquals(Duration.ZERO, CrashBackoff.delay(0));
    }

    @Test
    void repeatedCrashesDoubleTheWait() {
        assertEquals(Duration.ofSeconds(1), CrashBackoff.delay(2));
        assertEquals(Duration.ofSeconds(2), CrashBackoff.delay(3));
        assertEquals(Duration.ofSeconds(4), CrashBackoff.delay(4));
        assertEquals(Duration.ofSeconds(64), CrashBackoff.delay(8));
    }

    @Test
    void waitIsCappedAndNeverOverflows() {
        assertEquals(CrashBackoff.MAX, CrashBackoff.delay(9));
        assertEquals(CrashBackoff.MAX, CrashBackoff.delay(1_000));
        assertEquals(CrashBackoff.MAX, CrashBackoff.delay(Integer.MAX_VALUE));
    }

    @Test
    void aLongRunIsForgiven() {
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        assertFalse(CrashBackoff.ranLongEnough(null, start));
        assertFalse(CrashBackoff.ranLongEnough(start, start.plus(CrashBackoff.FORGIVE_AFTER).minusMillis(1)));
        assertTrue(CrashBackoff.ranLongEnough(start, start.plus(CrashBackoff.FORGIVE_AFTER)));
    }
}
