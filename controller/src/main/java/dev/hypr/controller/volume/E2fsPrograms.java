package dev.hypr.controller.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs e2fsprogs and coreutils on a disk image; a failure names the command, its exit code and its output. */
final class E2fsPrograms {
    /** e2fsck and resize2fs of a large, full filesystem take a while; anything longer is stuck. */
    private static final long TIMEOUT_MINUTES = 10;

    private E2fsPrograms() {
    }

    record Outcome(int exitCode, String output) {
    }

    /** Runs the command; throws when it cannot start or exits with a code outside {@code okCodes}. */
    static String run(List<String> command, int... okCodes) throws IOException {
        Outcome o = tryRun(command);
        for (int ok : okCodes.length == 0 ? new int[] {0} : okCodes) {
            if (o.exitCode() == ok) {
                return o.output();
            }
        }
        throw new IOException(String.join(" ", command) + " failed (exit " + o.exitCode() + "): " + o.output().strip());
    }

    static Outcome tryRun(List<String> command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            // "mkfs.ext4 not found (install e2fsprogs)"
            String why = java.util.Arrays.stream(dev.hypr.api.host.HostProgram.values()).filter(h -> h.program().equals(command.get(0)))
                    .findFirst().map(h -> dev.hypr.controller.host.HostPrograms.startFailure(h, command.get(0), e))
                    .orElse("cannot run " + command.get(0) + ": " + e.getMessage());
            throw new IOException(why, e);
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " interrupted", e);
        }
    }
}
