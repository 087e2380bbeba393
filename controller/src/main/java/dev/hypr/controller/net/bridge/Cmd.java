package dev.hypr.controller.net.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host networking tools (ip, nft) and turns a failure into a message that names the command and its output. */
public final class Cmd {
    public record Outcome(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Cmd() {
    }

    /** Runs the command; throws NetworkUnavailableException when it cannot start or exits non-zero. */
    public static String run(String... command) {
        Outcome o = tryRun(command);
        if (!o.ok()) {
            throw new NetworkUnavailableException(String.join(" ", command) + " failed (exit " + o.exitCode() + "): "
                    + o.output().strip());
        }
        return o.output();
    }

    /** Runs the command and returns what happened, for commands whose failure is an answer ("no such device"). */
    public static Outcome tryRun(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(-1, "timed out");
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NetworkUnavailableException("cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkUnavailableException(command[0] + " interrupted");
        }
    }

    /** Whether this process may create bridges and TAPs (effective uid 0). */
    public static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.split("\\s+")[2]);
                }
            }
        } catch (IOException e) {
            // not Linux: no bridges
        }
        return false;
    }

    static List<String> lines(String output) {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
