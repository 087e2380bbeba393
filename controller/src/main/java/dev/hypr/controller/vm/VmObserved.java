package dev.hypr.controller.vm;

import java.util.Optional;

/**
 * What hyprd sees of one VM right now, read from its runtime directory, the process table
 * and the guest agent.
 *
 * @param launchedSpecHash hash of the spec the running (or last) VMM was started with
 * @param processAlive     the recorded VMM pid is alive and still the process we started
 * @param ended            how the last run ended, when the VMM is gone
 */
public record VmObserved(boolean runtimeExists, Optional<String> launchedSpecHash, boolean processAlive,
                         boolean workloadRunning, Optional<Ending> ended) {

    /** How a VMM run ended. */
    public enum Ending {
        /** hyprd stopped it (running: false, spec change, delete). */
        STOPPED,
        /** Kestrel ended the VM because the workload finished and the restart policy said so. */
        COMPLETED,
        /** It died: VMM killed or crashed, guest panic. */
        CRASHED,
        /** Kestrel could not mount the rootfs and ended the VM: rebooting cannot help. */
        ROOTFS_MOUNT_FAILED,
        /** Kestrel could not mount a volume (or fill it from the image) and ended the VM before the workload ran. */
        VOLUME_MOUNT_FAILED,
        /** Kestrel could not write a spec.secrets or spec.files file and ended the VM before the workload ran. */
        FILE_WRITE_FAILED
    }

    public static VmObserved nothing() {
        return new VmObserved(false, Optional.empty(), false, false, Optional.empty());
    }
}
