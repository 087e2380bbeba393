package dev.hypr.controller.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.sync.SyncAction;
import dev.hypr.api.sync.SyncLabels;
import dev.hypr.api.sync.SyncTarget;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.StoreException;
import java.util.List;
import java.util.Optional;

/** The daemon's side of a pass: the engine applies straight into the store, no API round trip. */
public final class StoreSyncTarget implements SyncTarget {
    private final ObjectStore store;

    public StoreSyncTarget(ObjectStore store) {
        this.store = store;
    }

    @Override
    public List<ObjectNode> listManaged(String syncName) {
        return store.list(null, o -> SyncLabels.managingSync(o).filter(syncName::equals).isPresent()).items();
    }

    @Override
    public Optional<ObjectNode> get(Kind kind, String name) {
        return store.get(kind, name);
    }

    @Override
    public List<SyncAction> apply(List<ObjectNode> objects, boolean dryRun) {
        return store.apply(objects, dryRun).stream().map(r -> SyncAction.valueOf(r.outcome().name())).toList();
    }

    @Override
    public void delete(Kind kind, String name) {
        try {
            store.delete(kind, name, 0);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND) {
                throw e; // gone already is what pruning wants
            }
        }
    }
}
