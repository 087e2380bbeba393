package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Persistence in memory: for unit tests of controllers and planners, and nothing else. */
public final class InMemoryPersistence implements Persistence {
    private final Map<ObjectKey, ObjectNode> objects = new LinkedHashMap<>();
    private final List<Change> log = new ArrayList<>();
    private final int retain;

    public InMemoryPersistence(int retain) {
        this.retain = retain;
    }

    @Override
    public synchronized List<ObjectNode> loadObjects() {
        return objects.values().stream().map(ObjectNode::deepCopy).toList();
    }

    @Override
    public synchronized long loadRevision() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).revision();
    }

    @Override
    public synchronized void commit(List<Change> changes) {
        for (Change c : changes) {
            if (c.type() == ChangeType.DELETED) {
                objects.remove(c.key());
            } else {
                objects.put(c.key(), c.object().deepCopy());
            }
            log.add(c);
        }
        while (log.size() > retain) {
            log.remove(0);
        }
    }

    @Override
    public synchronized List<Change> changesSince(long fromRevision) {
        return log.stream().filter(c -> c.revision() > fromRevision).toList();
    }

    @Override
    public synchronized long oldestRetainedRevision() {
        return log.isEmpty() ? 0 : log.get(0).revision();
    }
}
