package dev.hypr.controller.node;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A node's own view of its etcd lease, for fencing: etcd expires the lease one TTL after the last
 * renewal it received, which is never later than one TTL after the last renewal this node heard
 * back about. So once a TTL has passed since then, the node must assume its lease is gone and its
 * VMs may be started elsewhere (after the grace period): it stops them. Monotonic time, no I/O.
 */
public final class LeaseClock {
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private volatile boolean held;
    private volatile boolean everHeld;
    private volatile long lastRenewal;

    public LeaseClock(LongSupplier nanoTime, Duration ttl) {
        this.nanoTime = nanoTime;
        this.ttlNanos = ttl.toNanos();
    }

    /** A lease was granted or a keep-alive answered with a TTL left. */
    public void renewed() {
        lastRenewal = nanoTime.getAsLong();
        held = true;
        everHeld = true;
    }

    /** No lease held yet since this hyprd started: it neither runs nor stops VMs until it has one. */
    public boolean pending() {
        return !everHeld;
    }

    /** etcd said the lease is gone (or the node stopped holding one). */
    public void lost() {
        held = false;
    }

    /** Whether the node must consider its lease gone: never held, lost, or not renewed for a TTL. */
    public boolean expired() {
        return !held || nanoTime.getAsLong() - lastRenewal >= ttlNanos;
    }
}
