package dev.hypr.controller.vm;

import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.vmm.HypervisorKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** The events the VM controller records, one method per reason so wording stays in one place. */
@ApplicationScoped
public class VmEvents {
    private static final String KIND = Kind.VM.kindName();

    @Inject
    EventRecorder recorder;

    VmEvents() {
    }

    VmEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    void booted(String vm, HypervisorKind kind, long pid) {
        recorder.normal(KIND, vm, "Booted", "booted with " + kind.specName() + ", pid " + pid);
    }

    void ready(String vm, Duration sinceBoot, java.util.Optional<BootTimeline> timeline) {
        recorder.normal(KIND, vm, "Ready", "Kestrel started the workload " + sinceBoot.toMillis() + " ms after boot"
                + timeline.map(t -> " (" + t.summary() + ")").orElse(""));
    }

    void healthy(String vm, String message) {
        recorder.normal(KIND, vm, "Healthy", message);
    }

    void unhealthy(String vm, String message) {
        recorder.warning(KIND, vm, "Unhealthy", message);
    }

    void vmmExited(String vm) {
        recorder.warning(KIND, vm, "VMMExited", "the VMM process exited unexpectedly");
    }

    void restarted(String vm) {
        recorder.normal(KIND, vm, "Restarted", "rebooted after the VMM exited unexpectedly");
    }

    void backOff(String vm, Duration wait) {
        recorder.warning(KIND, vm, "BackOff", "back-off " + Math.max(1, wait.toSeconds()) + "s restarting the crashed VM");
    }

    void workloadCrashLooping(String vm, int lastExitCode) {
        // no restart count in the text: repeats must fold into one event with a count
        recorder.warning(KIND, vm, "BackOff", "the workload keeps exiting (last exit code " + lastExitCode
                + "); Kestrel restarts it in the guest with back-off");
    }

    void specChanged(String vm, long generation) {
        recorder.normal(KIND, vm, "SpecChanged", "restarting to apply generation " + generation);
    }

    void stopped(String vm, String why) {
        recorder.normal(KIND, vm, "Stopped", why);
    }

    void completed(String vm, Integer exitCode) {
        recorder.normal(KIND, vm, "Completed", "the workload exited" + (exitCode == null ? "" : " with code " + exitCode)
                + " and the restart policy ended the VM");
    }

    void failed(String vm, String reason, String message) {
        recorder.warning(KIND, vm, reason, message);
    }

    void adopted(String vm, long pid) {
        recorder.normal(KIND, vm, "Adopted", "adopted the running VMM (pid " + pid + ") without rebooting it");
    }

    void orphanStopped(String vm, long pid) {
        recorder.warning(KIND, vm, "OrphanStopped", "stopped VMM pid " + pid + ": no VM object owns it");
    }
}
