package dev.hypr.controller.net.forward;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of hyprd's own proxy, exported as metrics. */
public final class ProxyStats {
    final AtomicLong connections = new AtomicLong();
    final AtomicLong activeConnections = new AtomicLong();
    final AtomicLong bytesToGuest = new AtomicLong();
    final AtomicLong bytesFromGuest = new AtomicLong();
    final AtomicLong datagrams = new AtomicLong();

    public long connections() {
        return connections.get();
    }

    public long activeConnections() {
        return activeConnections.get();
    }

    public long bytesToGuest() {
        return bytesToGuest.get();
    }

    public long bytesFromGuest() {
        return bytesFromGuest.get();
    }

    public long datagrams() {
        return datagrams.get();
    }
}
