package dev.hypr.controller.events;

import java.time.Duration;

/**
 * How long and how many events are kept: at most {@code maxEvents}, none last seen more than
 * {@code ttl} ago — Kubernetes keeps events one hour (the API server's --event-ttl).
 */
public record EventRetention(int maxEvents, Duration ttl) {
    public static final EventRetention DEFAULT = new EventRetention(1000, Duration.ofHours(1));

    public EventRetention {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("hypr.events.max must be at least 1, got " + maxEvents);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("hypr.events.ttl must be positive, got " + ttl);
        }
    }
}
