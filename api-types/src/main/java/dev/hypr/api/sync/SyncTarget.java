package dev.hypr.api.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.util.List;
import java.util.Optional;

/**
 * Where a Sync pass applies objects: the daemon's store (controller) or hyprd over gRPC (hyprctl).
 * The engine needs nothing more, so it runs unchanged on either side.
 */
public interface SyncTarget {

    /** Every object (any kind) carrying the label {@code hypr.dev/sync=<syncName>}. */
    List<ObjectNode> listManaged(String syncName);

    Optional<ObjectNode> get(Kind kind, String name);

    /** Applies every object all or nothing; one outcome per object, in order. */
    List<SyncAction> apply(List<ObjectNode> objects, boolean dryRun);

    void delete(Kind kind, String name);
}
