package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import java.util.ArrayList;
import java.util.List;

/** A controller's finalizer on its objects: added before it creates anything, removed once it cleaned up. */
public final class Finalizers {
    private Finalizers() {
    }

    /**
     * Adds {@code finalizer} to a live object that lacks it. Returns true when it wrote: the
     * write wakes the controller again, so the caller returns and acts on the next reconcile.
     * An object being deleted gets none (the store refuses new finalizers then).
     */
    public static boolean ensure(ObjectStore store, Kind kind, ObjectNode obj, String finalizer) {
        if (Objects.isBeingDeleted(obj) || Objects.finalizers(obj).contains(finalizer)) {
            return false;
        }
        List<String> f = new ArrayList<>(Objects.finalizers(obj));
        f.add(finalizer);
        store.updateFinalizers(kind, Objects.key(obj).name(), f, Objects.resourceVersion(obj));
        return true;
    }

    /**
     * Removes {@code finalizer} from the object as stored now (removing the last one of a deleted
     * object removes it). A concurrent write makes this fail with a conflict, retried with back-off.
     */
    public static void remove(ObjectStore store, Kind kind, String name, String finalizer) {
        store.get(kind, name).ifPresent(obj -> {
            List<String> f = new ArrayList<>(Objects.finalizers(obj));
            if (f.remove(finalizer)) {
                store.updateFinalizers(kind, name, f, Objects.resourceVersion(obj));
            }
        });
    }
}
