package dev.hypr.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.model.VmSpec;
import dev.hypr.api.model.VolumeMount;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.SecondaryWatch;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.VmDisk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The VM controller's side of volumes: the disks a VM boots with, one per {@code volumeRef},
 * each only once its Volume is Ready (made, not waiting to grow) and the Volume's status holds
 * this VM's claim in the mode it asks for. The claim is granted by the Volume controller and
 * persisted before the VM boots, so two writers can never both have booted, even across a kill -9.
 */
@ApplicationScoped
public class VolumeAttachments {
    @Inject
    ObjectStore store;

    @Inject
    HyprPaths paths;

    /** For the VM controller: a Volume's change wakes the VMs that name it. */
    public SecondaryWatch watch() {
        return new SecondaryWatch(Kind.VOLUME, volume -> VolumeUsers.referencing(Objects.key(volume).name(),
                store.list(Kind.VM, null).items()));
    }

    /** The disks of {@code vm}'s volumes, or why it must wait. */
    public List<VmDisk> disks(String vm, VmSpec spec) throws VolumeWaitException {
        List<VmDisk> out = new ArrayList<>();
        if (spec.volumes() == null) {
            return out;
        }
        List<String> seen = new ArrayList<>();
        for (VolumeMount m : spec.volumes()) {
            String ref = m.volumeRef();
            if (ref == null || ref.isEmpty() || seen.contains(ref)) {
                continue; // hostPath mounts are not disks; a volume mounted twice is one disk
            }
            seen.add(ref);
            boolean readOnly = spec.volumes().stream().filter(o -> ref.equals(o.volumeRef()))
                    .allMatch(o -> Boolean.TRUE.equals(o.readOnly()));
            checkClaimed(vm, ref, readOnly);
            out.add(new VmDisk(paths.volumeImage(ref), serial(ref), readOnly));
        }
        return out;
    }

    /**
     * What Kestrel mounts: one entry per {@code volumeRef} mount, found by the disk's serial,
     * ordered by mountPath depth so a volume mounted inside another one's path comes after it.
     * Host directories are not disks (virtiofs shares).
     */
    public static List<GuestConfig.VolumeMountEntry> guestMounts(VmSpec spec) {
        if (spec.volumes() == null) {
            return List.of();
        }
        return spec.volumes().stream()
                .filter(m -> m.volumeRef() != null && !m.volumeRef().isEmpty())
                .sorted(Comparator.comparingLong(m -> m.mountPath().chars().filter(c -> c == '/').count()))
                .map(m -> new GuestConfig.VolumeMountEntry(serial(m.volumeRef()), m.mountPath(),
                        Boolean.TRUE.equals(m.readOnly()), !Boolean.FALSE.equals(m.copyFromImage())))
                .toList();
    }

    /** Checks the volume is usable and holds {@code vm}'s claim in that mode. */
    private void checkClaimed(String vm, String ref, boolean readOnly) throws VolumeWaitException {
        Optional<ObjectNode> found = store.get(Kind.VOLUME, ref);
        if (found.isEmpty()) {
            throw new VolumeWaitException(VolumeWaitException.VOLUME_NOT_READY, "volume " + ref + " does not exist");
        }
        ObjectNode volume = found.get();
        JsonNode status = volume.path("status");
        if (Objects.isBeingDeleted(volume)) {
            throw new VolumeWaitException(VolumeWaitException.VOLUME_NOT_READY, "volume " + ref + " is being deleted");
        }
        if (!Conditions.isTrue(status, "Ready")) {
            String why = Conditions.get(status, "Ready").map(c -> ": " + c.path("message").asText()).orElse(": not made yet");
            throw new VolumeWaitException(VolumeWaitException.VOLUME_NOT_READY, "volume " + ref + " is not ready" + why);
        }
        long wanted = volume.path("spec").path("sizeMiB").asLong();
        if (status.path("sizeMiB").asLong() < wanted) {
            throw new VolumeWaitException(VolumeWaitException.VOLUME_NOT_READY, "volume " + ref + " grows to " + wanted
                    + " MiB before it is attached");
        }
        String writer = null;
        for (VolumeClaims.Claim c : VolumeReconciler.currentClaims(status)) {
            if (c.vm().equals(vm) && c.readOnly() == readOnly) {
                return;
            }
            if (!c.readOnly()) {
                writer = c.vm();
            }
        }
        if (writer != null && !readOnly && !writer.equals(vm)) {
            throw new VolumeWaitException(VolumeWaitException.VOLUME_IN_USE, "volume " + ref + " is attached read-write to VM "
                    + writer + "; one VM at a time may write to a volume (mount it readOnly here, or stop " + writer + ")");
        }
        throw new VolumeWaitException(VolumeWaitException.VOLUME_NOT_READY, "waiting for volume " + ref
                + " to record this VM's claim");
    }

    /**
     * The disk's serial, how the guest finds the volume: {@code hypr-NAME} when it fits
     * virtio-blk's 20 bytes, else {@code hypr-} + the name's first 6 characters + {@code -} + 8 hex
     * of its SHA-256 (still unique, still readable).
     */
    public static String serial(String volume) {
        String plain = "hypr-" + volume;
        if (plain.length() <= VmDisk.MAX_SERIAL) {
            return plain;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(volume.getBytes(StandardCharsets.UTF_8));
            return "hypr-" + volume.substring(0, 6) + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
