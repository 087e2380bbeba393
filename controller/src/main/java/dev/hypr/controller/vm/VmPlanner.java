package dev.hypr.controller.vm;

import java.util.Optional;

/** plan(desired, observed) → next action. Pure, so every branch is unit-tested. */
public final class VmPlanner {
    private VmPlanner() {
    }

    /**
     * @param wantRunning   spec.running (false while deleting)
     * @param deleting      the object has a deletionTimestamp
     * @param specHash      hash of the launch-relevant spec now
     * @param restartPolicy Always, OnFailure or Never
     * @param lastExitCode  the workload's last exit code, when known
     */
    public static VmAction plan(boolean wantRunning, boolean deleting, String specHash, String restartPolicy,
            Optional<Integer> lastExitCode, VmObserved seen) {
        if (deleting) {
            return seen.processAlive() ? VmAction.STOP : VmAction.CLEAN_UP;
        }
        if (!wantRunning) {
            return seen.processAlive() ? VmAction.STOP : VmAction.NONE;
        }
        if (seen.processAlive()) {
            boolean specChanged = seen.launchedSpecHash().map(h -> !h.equals(specHash)).orElse(true);
            return specChanged ? VmAction.RESTART_FOR_SPEC_CHANGE : VmAction.NONE;
        }
        if (!seen.runtimeExists() || seen.ended().isEmpty()) {
            return VmAction.START;
        }
        boolean specChanged = seen.launchedSpecHash().map(h -> !h.equals(specHash)).orElse(true);
        return switch (seen.ended().get()) {
            // hyprd stopped it (running was false, or a restart was interrupted): boot it again
            case STOPPED -> VmAction.START;
            // the workload finished and Kestrel ended the VM as the policy said; only a new spec reruns it
            case COMPLETED -> specChanged ? VmAction.START : VmAction.NONE;
            // the image is broken: the same spec would fail the same way
            case ROOTFS_MOUNT_FAILED -> specChanged ? VmAction.START : VmAction.NONE;
            // the same disk would fail the same way: no crash loop
            case VOLUME_MOUNT_FAILED -> specChanged ? VmAction.START : VmAction.NONE;
            // a file the guest cannot write at that path: the same spec fails the same way
            case FILE_WRITE_FAILED -> specChanged ? VmAction.START : VmAction.NONE;
            case CRASHED -> specChanged ? VmAction.START : restartAfterCrash(restartPolicy, lastExitCode);
        };
    }

    private static VmAction restartAfterCrash(String restartPolicy, Optional<Integer> lastExitCode) {
        return switch (restartPolicy) {
            case "Never" -> VmAction.NONE;
            case "OnFailure" -> lastExitCode.filter(c -> c == 0).isPresent() ? VmAction.NONE : VmAction.RESTART_AFTER_CRASH;
            default -> VmAction.RESTART_AFTER_CRASH;
        };
    }
}
