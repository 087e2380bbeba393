package dev.hypr.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Changes staged over the committed objects during one write: reads see the staged state,
 * nothing is visible to others until the whole batch commits. Each change gets its own
 * revision, as each object write does in Kubernetes.
 */
public final class WriteBatch {
    private final Map<ObjectKey, ObjectNode> committed;
    private final Map<ObjectKey, Optional<ObjectNode>> staged = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private long revision;

    public WriteBatch(Map<ObjectKey, ObjectNode> committed, long revision) {
        this.committed = committed;
        this.revision = revision;
    }

    public Optional<ObjectNode> get(ObjectKey key) {
        Optional<ObjectNode> s = staged.get(key);
        return s != null ? s : Optional.ofNullable(committed.get(key));
    }

    /** Every object as the batch sees it. */
    public Stream<ObjectNode> objects() {
        Stream<ObjectNode> untouched = committed.entrySet().stream()
                .filter(e -> !staged.containsKey(e.getKey()))
                .map(Map.Entry::getValue);
        Stream<ObjectNode> touched = staged.values().stream().flatMap(Optional::stream);
        return Stream.concat(untouched, touched);
    }

    public long nextRevision() {
        return revision + 1;
    }

    public void put(ChangeType type, ObjectKey key, ObjectNode object) {
        revision++;
        staged.put(key, Optional.of(object));
        changes.add(new Change(revision, type, key, object));
    }

    public void remove(ObjectKey key, ObjectNode lastSeen) {
        revision++;
        staged.put(key, Optional.empty());
        changes.add(new Change(revision, ChangeType.DELETED, key, lastSeen));
    }

    /** Every object the batch touched, as it will be (empty: removed). */
    public Map<ObjectKey, Optional<ObjectNode>> staged() {
        return staged;
    }

    public List<Change> changes() {
        return changes;
    }

    public long revision() {
        return revision;
    }
}
