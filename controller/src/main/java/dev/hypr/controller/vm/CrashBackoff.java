package dev.hypr.controller.vm;

import java.time.Duration;
import java.time.Instant;

/**
 * Kubernetes' CrashLoopBackOff for whole VMs: the first crash restarts at once, repeated
 * crashes wait 1 s, 2 s, 4 s … up to a cap; a VM that ran long enough is forgiven.
 */
public final class CrashBackoff {
    static final Duration MAX = Duration.ofMinutes(2);
    static final Duration FORGIVE_AFTER = Duration.ofSeconds(60);

    private CrashBackoff() {
    }

    /** Delay before restart number {@code consecutiveCrashes} (1 = first crash). */
    public static Duration delay(int consecutiveCrashes) {
        if (consecutiveCrashes <= 1) {
            return Duration.ZERO;
        }
        long seconds = 1L << Math.min(consecutiveCrashes - 2, 20);
        Duration d = Duration.ofSeconds(seconds);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** Whether a run from startedAt to endedAt was long enough to reset the crash count. */
    public static boolean ranLongEnough(Instant startedAt, Instant endedAt) {
        return startedAt != null && Duration.between(startedAt, endedAt).compareTo(FORGIVE_AFTER) >= 0;
    }
}
