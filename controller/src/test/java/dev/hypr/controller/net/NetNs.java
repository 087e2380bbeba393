package dev.hypr.controller.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network namespace for network tests: bridges, TAPs, NAT, DNS and VM traffic
 * stay inside it. close() ends the processes still in it (by pid) and deletes it, so a failed
 * test leaves nothing behind on the host.
 */
public final class NetNs implements AutoCloseable {
    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Whether this host lets us make namespaces (root with iproute2). */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/ip")) && "root".equals(System.getProperty("user.name"));
    }

    public static NetNs create() throws IOException, InterruptedException {
        NetNs ns = new NetNs("hypr-it-" + UUID.randomUUID().toString().substring(0, 8));
        run(List.of("ip", "netns", "add", ns.name));
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec NAME}: prefix for a command that must run inside. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs a command inside; returns stdout+stderr; throws when it fails. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix());
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    /** Like exec, but returns the exit code and output instead of throwing. */
    public Outcome tryExec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix());
        cmd.addAll(List.of(command));
        return runQuietly(cmd);
    }

    public record Outcome(int exitCode, String output) {
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Outcome o = runQuietly(cmd);
        if (o.exitCode() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + o.exitCode() + ": " + o.output());
        }
        return o.output();
    }

    static Outcome runQuietly(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The processes running inside now (daemons that left the test's process tree included). */
    public List<ProcessHandle> processes() throws IOException, InterruptedException {
        List<ProcessHandle> out = new ArrayList<>();
        for (String pid : runQuietly(List.of("ip", "netns", "pids", name)).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** kill -9 of everything inside: a dead host. */
    public void killAll() throws IOException, InterruptedException {
        for (ProcessHandle p : processes()) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        killAll();
        runQuietly(List.of("ip", "netns", "delete", name));
    }
}
