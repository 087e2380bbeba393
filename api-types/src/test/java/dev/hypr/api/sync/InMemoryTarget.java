package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A SyncTarget over a map that counts writes, so tests can prove a pass wrote nothing. */
final class InMemoryTarget implements SyncTarget {
    final TreeMap<String, ObjectNode> objects = new TreeMap<>();
    int applyCalls;
    int writes;
    int gets;

    @Override
    public List<ObjectNode> listManaged(String syncName) {
        return objects.values().stream()
                .filter(o -> SyncLabels.managingSync(o).filter(syncName::equals).isPresent())
                .map(ObjectNode::deepCopy)
                .toList();
    }

    @Override
    public Optional<ObjectNode> get(Kind kind, String name) {
        gets++;
        return Optional.ofNullable(objects.get(kind.kindName() + "/" + name)).map(ObjectNode::deepCopy);
    }

    @Override
    public List<SyncAction> apply(List<ObjectNode> batch, boolean dryRun) {
        applyCalls++;
        List<SyncAction> out = new ArrayList<>();
        for (ObjectNode o : batch) {
            String ref = SyncPlanner.ref(o);
            ObjectNode current = objects.get(ref);
            SyncAction action = current == null ? SyncAction.CREATED
                    : DesiredState.isSatisfiedBy(o, current) ? SyncAction.UNCHANGED : SyncAction.CONFIGURED;
            if (!dryRun && action != SyncAction.UNCHANGED) {
                writes++;
                objects.put(ref, o.deepCopy());
            }
            out.add(action);
        }
        return out;
    }

    @Override
    public void delete(Kind kind, String name) {
        writes++;
        objects.remove(kind.kindName() + "/" + name);
    }
}
