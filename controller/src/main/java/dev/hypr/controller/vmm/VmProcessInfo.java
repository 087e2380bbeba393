package dev.hypr.controller.vmm;

/** A live VMM process: pid plus its start time in clock ticks since boot (/proc/PID/stat field 22). */
public record VmProcessInfo(long pid, long startTicks) {
    public java.util.Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid);
    }
}
