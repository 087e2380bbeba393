package dev.hypr.controller.net.bridge;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.host.HostPrograms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host networking tools (ip, nft, sysctl) and turns a failure into a message that names the command and its output. */
public final class Cmd {
    public record Outcome(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Cmd() {
    }

    /** Runs the command; throws NetworkUnavailableException when it cannot start or exits non-zero. */
    public static String run(HostProgram program, String... args) {
        Outcome o = tryRun(program, args);
        if (!o.ok()) {
            throw new NetworkUnavailableException(program.program() + " " + String.join(" ", args) + " failed (exit "
                    + o.exitCode() + "): " + o.output().strip());
        }
        return o.output();
    }

    /**
     * Runs the command and returns what happened, for commands whose failure is an answer ("no such device").
     * A program that is not installed throws NetworkUnavailableException naming its package.
     */
    public static Outcome tryRun(HostProgram program, String... args) {
        List<String> command = new ArrayList<>(List.of(program.program()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(-1, "timed out");
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NetworkUnavailableException(HostPrograms.startFailure(program, program.program(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkUnavailableException(program.program() + " interrupted");
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
