package dev.hypr.controller.volume;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.runtime.Finalizers;
import dev.hypr.controller.runtime.Reconciler;
import dev.hypr.controller.runtime.ReportedFailure;
import dev.hypr.controller.runtime.Result;
import dev.hypr.controller.runtime.SecondaryWatch;
import dev.hypr.controller.runtime.StatusWriter;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.store.Objects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Keeps each Volume's disk image: observes the image and the VMs that name the volume, asks
 * {@link VolumePlanner} for one step, takes it, and reports in status (phase, size, bytes
 * allocated on the host, the VMs it is attached to, Ready). It also grants the VMs' claims
 * ({@link VolumeClaims}) in status, which the VM controller waits for before it boots a VM with
 * the volume. A volume a VM references is held by the finalizer, with a condition naming the
 * VMs, and its image removed once none is left.
 */
@ApplicationScoped
public class VolumeReconciler implements Reconciler {
    static final String FINALIZER = "hypr.dev/volume";
    static final String SHRINK_REFUSED = "ShrinkRefused";
    static final String RESIZE_PENDING = "ResizePending";

    @Inject
    ObjectStore store;

    @Inject
    HyprPaths paths;

    @Inject
    EventRecorder events;

    @Inject
    dev.hypr.controller.node.LocalNode node;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Kind kind() {
        return Kind.VOLUME;
    }

    @Override
    public List<SecondaryWatch> secondaryWatches() {
        // a VM naming a volume, starting, stopping or going away changes what may be done with it
        return List.of(new SecondaryWatch(Kind.VM, VolumeUsers::volumesOf));
    }

    @Override
    public Result reconcile(String name) throws Exception {
        var found = store.get(Kind.VOLUME, name);
        if (found.isEmpty()) {
            return Result.done();
        }
        ObjectNode volume = found.get();
        if (!node.runsHere(volume)) {
            return Result.done(); // node-local: its disk image lives on its node (bound by the scheduler)
        }
        if (Finalizers.ensure(store, Kind.VOLUME, volume, FINALIZER)) {
            return Result.done(); // the finalizer write wakes us again
        }
        List<ObjectNode> vms = store.list(Kind.VM, null).items();
        List<String> referencedBy = VolumeUsers.referencing(name, vms);
        List<String> runningOn = VolumeUsers.running(name, vms);
        Ext4Image image = new Ext4Image(paths.volumeImage(name));
        ObjectNode status = volume.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
        long gen = Objects.generation(volume);
        long desired = volume.path("spec").path("sizeMiB").asLong();
        status.set("claims", claims(VolumeClaims.assign(currentClaims(status), VolumeUsers.claimRequests(name, vms))));
        VolumePlan plan = VolumePlanner.plan(Objects.isBeingDeleted(volume), desired, currentSize(image, status),
                referencedBy, runningOn);

        switch (plan.step()) {
            case HOLD_DELETE -> {
                status.put("phase", "Terminating");
                Conditions.set(status, "Ready", false, "InUse", "cannot delete volume " + name + ": in use by VM(s) "
                        + String.join(", ", plan.vms()) + "; delete them or remove the volume from their spec first", gen,
                        clock.instant());
                writeStatus(name, volume, status);
                return Result.done(); // the VMs' changes wake us through the secondary watch
            }
            case DELETE -> {
                image.delete();
                events.normal(Kind.VOLUME.kindName(), name, "Deleted", "removed " + image.path());
                Finalizers.remove(store, Kind.VOLUME, name, FINALIZER);
                return Result.done();
            }
            case CREATE -> {
                try {
                    image.create(plan.sizeMiB(), Objects.uid(volume));
                } catch (IOException e) {
                    failed(name, volume, status, gen, "CreateFailed", "cannot make " + image.path() + ": " + e.getMessage());
                    throw new VolumeFailure(e.getMessage(), e);
                }
                events.normal(Kind.VOLUME.kindName(), name, "Created", "ext4, " + plan.sizeMiB() + " MiB at " + image.path());
            }
            case GROW -> {
                long from = currentSize(image, status);
                try {
                    image.grow(plan.sizeMiB());
                } catch (IOException e) {
                    failed(name, volume, status, gen, "ResizeFailed", "cannot grow " + image.path() + " to " + plan.sizeMiB()
                            + " MiB: " + e.getMessage());
                    throw new VolumeFailure(e.getMessage(), e);
                }
                events.normal(Kind.VOLUME.kindName(), name, "Resized", "grown from " + from + " MiB to " + plan.sizeMiB() + " MiB");
            }
            default -> {
                // REFUSE_SHRINK, RESIZE_PENDING and NONE change nothing on disk
            }
        }

        if (plan.step() == VolumePlan.Step.REFUSE_SHRINK) {
            String message = "spec.sizeMiB " + desired + " is below the volume's " + plan.sizeMiB()
                    + " MiB: volumes only grow; the volume keeps " + plan.sizeMiB() + " MiB";
            if (!Conditions.isTrue(status, SHRINK_REFUSED)) {
                events.warning(Kind.VOLUME.kindName(), name, SHRINK_REFUSED, message);
            }
            Conditions.set(status, SHRINK_REFUSED, true, "SizeBelowCurrent", message, gen, clock.instant());
        } else {
            Conditions.remove(status, SHRINK_REFUSED);
        }
        if (plan.step() == VolumePlan.Step.RESIZE_PENDING) {
            Conditions.set(status, RESIZE_PENDING, true, "InUse", "grows to " + desired + " MiB once VM(s) "
                    + String.join(", ", plan.vms()) + " stop", gen, clock.instant());
        } else {
            Conditions.remove(status, RESIZE_PENDING);
        }
        status.put("observedGeneration", gen);
        status.put("phase", "Ready");
        status.put("path", image.path().toString());
        status.put("sizeMiB", plan.sizeMiB());
        status.put("allocatedBytes", image.allocatedBytes());
        ArrayNode attached = status.putArray("attachedTo");
        runningOn.stream().sorted().forEach(attached::add);
        status.put("message", "ext4, " + plan.sizeMiB() + " MiB");
        Conditions.set(status, "Ready", true, "Formatted", "ext4 filesystem of " + plan.sizeMiB() + " MiB at " + image.path(),
                gen, clock.instant());
        writeStatus(name, volume, status);
        return Result.done();
    }

    static List<VolumeClaims.Claim> currentClaims(com.fasterxml.jackson.databind.JsonNode status) {
        List<VolumeClaims.Claim> out = new java.util.ArrayList<>();
        status.path("claims").forEach(c -> out.add(new VolumeClaims.Claim(c.path("vm").asText(), c.path("readOnly").asBoolean(false))));
        return out;
    }

    private static ArrayNode claims(VolumeClaims.Outcome outcome) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        outcome.claims().forEach(c -> list.addObject().put("vm", c.vm()).put("readOnly", c.readOnly()));
        return list;
    }

    /** The filesystem's size: as recorded once made or grown, else the file's (a crash right after the rename). */
    private static Long currentSize(Ext4Image image, ObjectNode status) throws IOException {
        if (!image.exists()) {
            return null;
        }
        return status.hasNonNull("sizeMiB") ? status.get("sizeMiB").asLong() : image.sizeMiB();
    }

    private void failed(String name, ObjectNode volume, ObjectNode status, long gen, String reason, String message) {
        if (!status.has("path")) {
            status.put("phase", "Failed");
        }
        status.put("observedGeneration", gen);
        Conditions.set(status, "Ready", false, reason, message, gen, clock.instant());
        events.warning(Kind.VOLUME.kindName(), name, reason, message);
        writeStatus(name, volume, status);
    }

    /** The whole status is this controller's but the runtime's error condition. */
    private void writeStatus(String name, ObjectNode volume, ObjectNode status) {
        if (!status.equals(volume.path("status"))) {
            new StatusWriter(store).replaceOwn(Kind.VOLUME, name, status, Set.of(ERROR_CONDITION));
        }
    }

    /** A failure already reported in the Ready condition and an event: retried with back-off, nothing more said. */
    static final class VolumeFailure extends IOException implements ReportedFailure {
        VolumeFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
