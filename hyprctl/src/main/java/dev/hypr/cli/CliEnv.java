package dev.hypr.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.OutputStreamWriter;
import java.time.Clock;
import java.util.Map;

/**
 * Everything hyprctl takes from the process around it, so tests can run commands in-process:
 * standard streams, environment, clock and the way to reach the daemon.
 */
public record CliEnv(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, Clock clock,
        ConnectionFactory connections) {

    /** Opens a connection to hyprd listening on a Unix socket path. */
    @FunctionalInterface
    public interface ConnectionFactory {
        DaemonConnection open(String socketPath);
    }

    public static CliEnv system() {
        return new CliEnv(
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                System.in, System.getenv(), Clock.systemUTC(), DaemonConnection::unixSocket);
    }

    public String getenv(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }
}
