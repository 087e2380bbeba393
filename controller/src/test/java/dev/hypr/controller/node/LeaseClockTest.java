package dev.hypr.controller.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Fencing's clock on a fake monotonic clock: a node stops its VMs one TTL after its last renewal. */
class LeaseClockTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LeaseClock lease = new LeaseClock(now::get, Duration.ofSeconds(10));

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void pendingAndExpiredUntilALeaseIsHeld() {
        assertTrue(lease.pending());
        assertTrue(lease.expired());
        lease.renewed();
        assertFalse(lease.pending());
        assertFalse(lease.expired());
        lease.lost();
        assertFalse(lease.pending(), "once held, a lost lease fences: it is no longer the startup wait");
    }

    @Test
    void renewalsKeepTheNodeUnfencedAndSilenceForATtlFencesIt() {
        lease.renewed();
        for (int i = 0; i < 10; i++) {
            advance(Duration.ofSeconds(3)); // jetcd renews every TTL/3
            lease.renewed();
            assertFalse(lease.expired());
        }
        advance(Duration.ofMillis(9_999));
        assertFalse(lease.expired(), "cut off, but etcd cannot have expired the lease yet");
        advance(Duration.ofMillis(1));
        assertTrue(lease.expired(), "one TTL without a renewal: etcd may have expired it");
        lease.renewed(); // a new lease after the partition
        assertFalse(lease.expired());
    }

    @Test
    void etcdSayingTheLeaseIsGoneFencesAtOnce() {
        lease.renewed();
        lease.lost();
        assertTrue(lease.expired());
    }
}
