package dev.hypr.controller.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.PruneVolumesReply;
import dev.hypr.api.grpc.PrunedVolume;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.store.StoreException;
import java.util.List;

/**
 * docker's {@code volume prune} on the server, where the list of VMs and the deletes are one
 * step apart instead of a round trip each: deletes every Volume no VM names. Each delete carries
 * the resourceVersion read, so a volume changed meanwhile is left alone; a VM created naming a
 * volume after the check holds that volume's deletion through its finalizer until the VM goes.
 */
public final class VolumePrune {
    private VolumePrune() {
    }

    public static PruneVolumesReply prune(ObjectStore store, boolean dryRun) {
        List<ObjectNode> vms = store.list(Kind.VM, null).items();
        PruneVolumesReply.Builder reply = PruneVolumesReply.newBuilder();
        long freed = 0;
        for (ObjectNode volume : store.list(Kind.VOLUME, null).items()) {
            String name = Objects.key(volume).name();
            if (Objects.isBeingDeleted(volume) || !VolumeUsers.referencing(name, vms).isEmpty()) {
                continue;
            }
            if (!dryRun) {
                try {
                    store.delete(Kind.VOLUME, name, Objects.resourceVersion(volume));
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.CONFLICT || e.reason() == StoreException.Reason.NOT_FOUND) {
                        continue; // changed or gone since it was listed: not ours to prune now
                    }
                    throw e;
                }
            }
            long bytes = volume.path("status").path("allocatedBytes").asLong(0);
            freed += bytes;
            reply.addDeleted(PrunedVolume.newBuilder().setName(name).setAllocatedBytes(bytes));
        }
        return reply.setFreedBytes(freed).build();
    }
}
