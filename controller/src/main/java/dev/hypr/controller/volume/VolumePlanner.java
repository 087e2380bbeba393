package dev.hypr.controller.volume;

import java.util.List;

/**
 * Pure: what to do with one Volume, from what it asks for and what was observed. The size a
 * volume has is its filesystem's, never less than what was made: ext4 cannot shrink while
 * mounted, and shrinking a filesystem that holds data risks losing it, so a smaller spec is
 * refused and the volume is left as it is.
 */
public final class VolumePlanner {
    private VolumePlanner() {
    }

    /**
     * @param deleting     the object has a deletionTimestamp
     * @param desiredMiB   spec.sizeMiB
     * @param currentMiB   the filesystem's size now; null when there is no disk image
     * @param referencedBy VMs whose spec names the volume (deleted ones included until they are gone)
     * @param runningOn    VMs that run with the volume attached now
     */
    public static VolumePlan plan(boolean deleting, long desiredMiB, Long currentMiB, List<String> referencedBy,
            List<String> runningOn) {
        if (deleting) {
            return referencedBy.isEmpty()
                    ? VolumePlan.of(VolumePlan.Step.DELETE, currentMiB == null ? 0 : currentMiB)
                    : new VolumePlan(VolumePlan.Step.HOLD_DELETE, currentMiB == null ? 0 : currentMiB, sorted(referencedBy));
        }
        if (currentMiB == null) {
            return VolumePlan.of(VolumePlan.Step.CREATE, desiredMiB);
        }
        if (desiredMiB < currentMiB) {
            return VolumePlan.of(VolumePlan.Step.REFUSE_SHRINK, currentMiB);
        }
        if (desiredMiB > currentMiB) {
            return runningOn.isEmpty()
                    ? VolumePlan.of(VolumePlan.Step.GROW, desiredMiB)
                    : new VolumePlan(VolumePlan.Step.RESIZE_PENDING, currentMiB, sorted(runningOn));
        }
        return VolumePlan.of(VolumePlan.Step.NONE, currentMiB);
    }

    private static List<String> sorted(List<String> vms) {
        return vms.stream().distinct().sorted().toList();
    }
}
