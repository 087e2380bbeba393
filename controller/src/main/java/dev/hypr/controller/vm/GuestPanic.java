package dev.hypr.controller.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why the guest kernel ended a run that looked like a VMM crash from outside: a panic line on
 * the VM's console ({@code panic=-1} makes the VMM exit right after it). Out of memory is told
 * apart because the fix is the user's (more spec.memoryMiB), not a restart.
 *
 * @param reason the condition reason: {@link #OUT_OF_MEMORY} or {@link #KERNEL_PANIC}
 * @param line the kernel's own words, e.g. "Kernel panic - not syncing: System is deadlocked on memory"
 */
record GuestPanic(String reason, String line) {
    static final String OUT_OF_MEMORY = "GuestOutOfMemory";
    static final String KERNEL_PANIC = "GuestKernelPanic";
    /** Enough for the panic and the OOM report before it; a chatty console is not read whole. */
    private static final int TAIL_BYTES = 64 * 1024;
    private static final String PANIC = "Kernel panic - not syncing:";

    /** The panic in {@code consoleLog}'s tail, if the kernel printed one. */
    static Optional<GuestPanic> scan(Path consoleLog) {
        String tail;
        try (RandomAccessFile f = new RandomAccessFile(consoleLog.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            tail = new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        return of(tail);
    }

    static Optional<GuestPanic> of(String console) {
        int at = console.lastIndexOf(PANIC);
        if (at < 0) {
            return Optional.empty();
        }
        int end = console.indexOf('\n', at);
        String line = console.substring(at, end < 0 ? console.length() : end).strip();
        String before = console.substring(0, at);
        // the panic itself names memory ("System is deadlocked on memory", "Out of memory and no
        // killable processes"), or the OOM killer took init just before ("Attempted to kill init!")
        boolean oom = line.toLowerCase(java.util.Locale.ROOT).contains("memory")
                || before.contains("Out of memory: Killed process") || before.contains("invoked oom-killer");
        return Optional.of(new GuestPanic(oom ? OUT_OF_MEMORY : KERNEL_PANIC, line));
    }

    /** What to tell the user: what happened, and for OOM what to change. */
    String message(Integer memoryMiB) {
        if (OUT_OF_MEMORY.equals(reason)) {
            return "the guest kernel ran out of memory" + (memoryMiB == null ? "" : " with spec.memoryMiB " + memoryMiB)
                    + " (console: \"" + line + "\"); raise spec.memoryMiB";
        }
        return "the guest kernel panicked (console: \"" + line + "\")";
    }
}
