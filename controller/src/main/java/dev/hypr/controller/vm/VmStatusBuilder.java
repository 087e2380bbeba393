package dev.hypr.controller.vm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.runtime.Conditions;
import dev.hypr.controller.store.Objects;
import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.NetworkMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A VM's status from what was seen this reconcile: a printable phase, the Ready condition
 * with a reason, and the facts (pid, hypervisor, IP, restarts, exit code, forwards).
 */
final class VmStatusBuilder {
    static final String ROOTFS_MOUNT_FAILED = "RootfsMountFailed";
    /** Kestrel could not mount a virtiofs share (e.g. a guest kernel without virtiofs). */
    static final String HOST_PATH_MOUNT_FAILED = "HostPathMountFailed";
    static final String VOLUME_MOUNT_FAILED = "VolumeMountFailed";
    /** The status fields the VM controller owns (docs/architecture.md, "Status owners"); build() writes nothing else. */
    static final java.util.List<String> OWNED_FIELDS = java.util.List.of("phase", "message", "observedGeneration", "restartCount",
            "lastExitCode", "workloadRestarts", "pid", "startedAt", "ip", "mac", "hypervisor", "kernel", "boot", "health", "nodeName");
    static final java.util.List<String> OWNED_CONDITIONS = java.util.List.of("Ready", "Healthy");
    private final ObjectNode status;
    private final long generation;
    private final Instant now;
    private String failureReason;
    private String failureMessage;
    private String backoffMessage;
    private GuestPanic backoffPanic;
    private String waitingReason;
    private String waitingMessage;
    private String message;
    private dev.hypr.controller.net.ipam.Allocation address;

    private VmStatusBuilder(ObjectNode status, long generation, Instant now) {
        this.status = status;
        this.generation = generation;
        this.now = now;
    }

    static VmStatusBuilder from(ObjectNode vm, Instant now) {
        ObjectNode current = vm.get("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
        return new VmStatusBuilder(current, Objects.generation(vm), now);
    }

    /** kernel: which guest kernel this boot uses (GuestKernel.name), kept after the VM stops. */
    void booted(HypervisorKind kind, String kernel) {
        status.put("hypervisor", kind.specName());
        status.put("kernel", kernel);
        status.remove("lastExitCode");
    }

    void restarted(String why) {
        status.put("restartCount", status.path("restartCount").asInt(0) + 1);
        message = "restarted: " + why;
    }

    /** The bridged VM's IPAM address: status shows ip (while it runs) and mac. */
    void address(Optional<dev.hypr.controller.net.ipam.Allocation> a) {
        address = a.orElse(null);
    }

    void message(String m) {
        message = m;
    }

    void failed(String reason, String msg) {
        failureReason = reason;
        failureMessage = msg;
    }

    /** The first failure is ErrImagePull; once retrying it is ImagePullBackOff, as in Kubernetes. */
    void imagePullFailed(String msg) {
        String previous = Conditions.get(status, "Ready").map(c -> c.path("reason").asText()).orElse("");
        waitingReason = previous.equals("ErrImagePull") || previous.equals("ImagePullBackOff") ? "ImagePullBackOff" : "ErrImagePull";
        waitingMessage = msg;
    }

    /** Not booted, waiting for something outside the VM (a volume): phase Pending, Ready False with this reason. */
    void waiting(String reason, String msg) {
        waitingReason = reason;
        waitingMessage = msg;
    }

    void crashLoop(Optional<Integer> lastExit, Duration wait, Optional<GuestPanic> panic) {
        backoffMessage = "back-off " + Math.max(1, wait.toSeconds()) + "s restarting the crashed VM"
                + lastExit.map(c -> " (last exit code " + c + ")").orElse("");
        backoffPanic = panic.orElse(null);
    }

    ObjectNode build(VmObserved seen, VmRuntimeDir dir, VmRuntime rt, VmSpec spec) {
        status.put("observedGeneration", generation);
        if (!status.has("restartCount")) {
            status.put("restartCount", 0); // 0 is a fact worth printing, not an unknown
        }
        HealthState.Snapshot health = rt != null ? rt.health() : null;
        Integer lastExit = rt != null && rt.lastExitCode() != null ? rt.lastExitCode() : dir.endingExitCode().orElse(null);
        if (lastExit != null) {
            status.put("lastExitCode", lastExit);
        }
        if (rt != null) {
            status.put("workloadRestarts", rt.guestRestarts());
            rt.bootTimeline().ifPresent(t -> status.set("boot", t.toJson())); // an adopted VM keeps what its launcher wrote
        }
        if (seen.processAlive()) {
            dir.handle().flatMap(h -> dev.hypr.controller.vmm.RuntimeFiles.readLong(h.pidFile())).ifPresent(p -> status.put("pid", p));
            dir.startedAt().ifPresent(t -> status.put("startedAt", t.toString()));
            NetworkMode net = VmLaunchSpecs.network(spec);
            if (net instanceof NetworkMode.UserMode) {
                status.put("ip", NetworkMode.UserMode.GUEST_CIDR.split("/")[0]);
            } else if (address != null) {
                status.put("ip", address.ip());
            }
        } else {
            status.remove("pid");
            status.remove("startedAt");
            status.remove("ip"); // forwards are the Forward controller's: it drops them once pid is gone
        }
        if (address != null) {
            status.put("mac", address.mac());
        } else {
            status.remove("mac");
        }
        String phase;
        String reason;
        String msg;
        boolean ready = false;
        if (failureReason != null) {
            phase = "Failed";
            reason = failureReason;
            msg = failureMessage;
        } else if (waitingReason != null) {
            phase = "Pending";
            reason = waitingReason;
            msg = waitingMessage;
        } else if (backoffMessage != null) {
            phase = "Pending";
            // a guest panic (out of memory above all) says more than "it keeps crashing"
            reason = backoffPanic != null ? backoffPanic.reason() : "CrashLoopBackOff";
            msg = backoffPanic != null ? backoffPanic.message(spec.memoryMiB()) + "; " + backoffMessage : backoffMessage;
        } else if (seen.processAlive() && (dir.ending().isPresent() || rt != null && rt.shutdownAnnounced())) {
            // hyprd is stopping it, or Kestrel announced the end (workload done, rootfs unusable)
            phase = "Stopping";
            reason = "Stopping";
            msg = "the VM is shutting down";
        } else if (seen.processAlive() && seen.workloadRunning()) {
            phase = "Running";
            HealthConditions.Verdict verdict = HealthConditions.ready(health);
            reason = verdict.reason();
            msg = verdict.message();
            ready = verdict.ready();
        } else if (seen.processAlive() && rt != null && rt.guestRestarts() > 0 && rt.lastWorkloadExit() != null
                && lastExit != null && lastExit != 0) {
            // A loop only once Kestrel has restarted the workload: a single failed exit may be
            // followed by the VM ending (restart policy, or a rootfs that would not mount).
            phase = "Running";
            reason = "CrashLoopBackOff";
            msg = "the workload exited with code " + lastExit + "; Kestrel restarts it with back-off ("
                    + rt.guestRestarts() + " restarts)";
        } else if (seen.processAlive()) {
            phase = "Starting";
            reason = "Booting";
            msg = "the VMM runs; waiting for Kestrel to start the workload";
        } else if (Boolean.FALSE.equals(spec.running())) {
            // whether it ran before or never did: what the user asked for is what it is (docs/vms.md)
            phase = "Stopped";
            reason = "Stopped";
            msg = "stopped because spec.running is false";
        } else if (seen.ended().isPresent()) {
            switch (seen.ended().get()) {
                case STOPPED -> {
                    phase = "Stopped";
                    reason = "Stopped";
                    msg = "stopped because spec.running is false";
                }
                case COMPLETED -> {
                    phase = lastExit != null && lastExit == 0 ? "Succeeded" : "Failed";
                    reason = "WorkloadExited";
                    msg = "the workload exited" + (lastExit == null ? "" : " with code " + lastExit)
                            + " and restartPolicy " + spec.restartPolicy() + " ended the VM";
                }
                case ROOTFS_MOUNT_FAILED -> {
                    phase = "Failed";
                    String detail = dir.failure().orElse("no detail");
                    boolean share = detail.startsWith(VmRuntime.SHARE_FAILURE_PREFIX);
                    reason = share ? HOST_PATH_MOUNT_FAILED : ROOTFS_MOUNT_FAILED;
                    msg = (share ? "the guest could not mount a hostPath share ("
                            + detail.substring(VmRuntime.SHARE_FAILURE_PREFIX.length())
                            : "the guest could not mount spec.rootfs " + spec.rootfs() + " (" + detail)
                            + "); not retried until the spec changes or the VM is re-created";
                }
                case VOLUME_MOUNT_FAILED -> {
                    phase = "Failed";
                    reason = VOLUME_MOUNT_FAILED;
                    msg = "the guest could not mount a volume (" + dir.failure().orElse("no detail")
                            + "); the workload did not run; not retried until the spec changes or the VM is re-created";
                }
                default -> {
                    phase = "Failed";
                    Optional<GuestPanic> panic = dir.panic();
                    reason = panic.map(GuestPanic::reason).orElse("VMMExited");
                    msg = panic.map(p -> p.message(spec.memoryMiB())).orElse("the VMM process exited unexpectedly")
                            + " and restartPolicy is " + spec.restartPolicy();
                }
            }
        } else {
            phase = "Pending";
            reason = "NotStarted";
            msg = "not booted yet";
        }
        status.put("phase", phase);
        if (message != null) {
            status.put("message", message);
        }
        Conditions.set(status, "Ready", ready, reason, msg, generation, now);
        HealthConditions.apply(status, health, seen.processAlive() && seen.workloadRunning(), generation, now);
        return status;
    }
}
