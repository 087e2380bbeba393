package dev.hypr.controller.volume;

import java.util.List;

/**
 * The one step the Volume controller takes next ({@link VolumePlanner}), with the size it makes
 * the filesystem (or keeps) and the VMs that hold it back, when any.
 */
public record VolumePlan(Step step, long sizeMiB, List<String> vms) {
    public enum Step {
        /** No disk image yet: make it, formatted, at {@code sizeMiB}. */
        CREATE,
        /** spec.sizeMiB grew and no VM runs on the volume: grow the file and the filesystem. */
        GROW,
        /** spec.sizeMiB grew but {@code vms} run on it: grow once they have stopped. */
        RESIZE_PENDING,
        /** spec.sizeMiB is below the filesystem's size: refuse, keep {@code sizeMiB}. */
        REFUSE_SHRINK,
        /** Nothing to change. */
        NONE,
        /** Being deleted while {@code vms} reference it: keep it. */
        HOLD_DELETE,
        /** Being deleted and unused: remove the image, then the finalizer. */
        DELETE
    }

    static VolumePlan of(Step step, long sizeMiB) {
        return new VolumePlan(step, sizeMiB, List.of());
    }
}
