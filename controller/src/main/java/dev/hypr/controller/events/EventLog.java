package dev.hypr.controller.events;

import java.time.Instant;
import java.util.List;

/**
 * Where events are kept between hyprd runs. Small on purpose: SQLite today, etcd (events with a
 * lease as their TTL) when several nodes share one store. Controllers never see it: they record
 * through {@link EventRecorder}.
 */
public interface EventLog {
    /**
     * Stores each event; an event with the same object, type, reason and message as a stored one
     * (a repeat, folded by the recorder) replaces it, keeping one record with its count.
     */
    void append(List<EventRecord> events);

    /** Every kept event, oldest (lowest sequence) first. */
    List<EventRecord> list();

    /** The kept events of one object, oldest first. */
    List<EventRecord> list(String kind, String name);

    /** Drops events last seen before {@code cutoff}, then all but the newest {@code max}; returns how many went. */
    int prune(Instant cutoff, int max);
}
