package dev.hypr.controller.events;

import java.time.Instant;

/**
 * One Kubernetes-style event: something a controller did or saw happen to an object. Repeats
 * of the same event (object, type, reason, message) are folded into one record with a count.
 *
 * @param sequence position in the recorder's history; a repeat gets a new, higher one
 */
public record EventRecord(long sequence, String kind, String name, Type type, String reason, String message,
                          Instant firstSeen, Instant lastSeen, int count) {

    /** Kubernetes' two event types. */
    public enum Type {
        Normal,
        Warning
    }

    Key key() {
        return new Key(kind, name, type, reason, message);
    }

    EventRecord repeated(long newSequence, Instant at) {
        return new EventRecord(newSequence, kind, name, type, reason, message, firstSeen, at, count + 1);
    }

    record Key(String kind, String name, Type type, String reason, String message) {
    }
}
