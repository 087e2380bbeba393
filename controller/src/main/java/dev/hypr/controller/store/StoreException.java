package dev.hypr.controller.store;

/** A store call that cannot be carried out; {@link Reason} says how the API reports it. */
public class StoreException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        /** Stale resourceVersion: the caller must re-read and retry. */
        CONFLICT,
        INVALID,
        /** The object is being deleted and cannot be changed that way. */
        BEING_DELETED,
        /** A watch asked for revisions older than the change log keeps (Kubernetes' 410 Gone). */
        EXPIRED,
        /** The write would take the store past one of its limits (gRPC RESOURCE_EXHAUSTED). */
        LIMIT_EXCEEDED,
        /** The store's back-end (etcd) did not answer or lost quorum: retry later (gRPC UNAVAILABLE). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final int objectIndex;

    public StoreException(Reason reason, String message) {
        this(reason, message, -1);
    }

    private StoreException(Reason reason, String message, int objectIndex) {
        super(message);
        this.reason = reason;
        this.objectIndex = objectIndex;
    }

    public Reason reason() {
        return reason;
    }

    /** Which object of a multi-object request failed (-1 = not about one object). */
    public int objectIndex() {
        return objectIndex;
    }

    StoreException aboutObject(int index) {
        return new StoreException(reason, getMessage(), index);
    }

    public static StoreException notFound(String ref) {
        return new StoreException(Reason.NOT_FOUND, ref + " not found");
    }

    public static StoreException limitExceeded(String message) {
        return new StoreException(Reason.LIMIT_EXCEEDED, "store is full: " + message);
    }

    public static StoreException conflict(String ref, String expected, long actual) {
        return new StoreException(Reason.CONFLICT, "Operation cannot be fulfilled on " + ref
                + ": the object has been modified (resourceVersion " + expected + " is stale, current is "
                + actual + "); re-read it and try again");
    }
}
