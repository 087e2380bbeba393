package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Durable storage under {@link CachedObjectStore}: the objects and the change log. */
public interface Persistence {

    /** Every stored object, at start-up. */
    List<ObjectNode> loadObjects();

    /** The newest revision ever committed (0 for a new store). */
    long loadRevision();

    /** Writes the changes in one transaction; returns only once they are durable. */
    void commit(List<Change> changes);

    /** Changes with revision > fromRevision, oldest first. */
    List<Change> changesSince(long fromRevision);

    /** The oldest revision still in the change log (0 when the log is empty). */
    long oldestRetainedRevision();
}
