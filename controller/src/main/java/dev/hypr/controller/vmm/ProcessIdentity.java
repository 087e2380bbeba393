package dev.hypr.controller.vmm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a process's start time from /proc, the part of its identity that pid reuse cannot fake. */
public final class ProcessIdentity {
    private ProcessIdentity() {}

    /** Field 22 of /proc/PID/stat (starttime, clock ticks since boot). */
    public static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // comm (field 2) may contain spaces and parentheses: fields are counted after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(rest[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when pid runs and started at startTicks: still the very process we launched. */
    public static boolean isSame(long pid, long startTicks) {
        return startTicks(pid).map(t -> t == startTicks).orElse(false)
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && !isZombie(pid);
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
