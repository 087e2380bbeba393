package dev.hypr.cli;

import dev.hypr.api.Json;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Start-up work that does not depend on the parsed command line, started on other threads the
 * moment {@code main} runs: picocli builds its model by reflection for ~50 ms on the main thread,
 * and in that time the gRPC channel is built and connected to hyprd (HTTP/2 handshake included)
 * and Jackson's classes are initialised, instead of one after the other.
 */
final class EarlyStart {
    /** Commands that always talk to hyprd (version only without --client, see {@link #of}). */
    private static final Set<String> DAEMON_COMMANDS = Set.of("apply", "get", "describe", "delete", "diff", "wait", "run",
            "exec", "logs", "events", "images", "login", "logout", "version");

    private final String socket;
    private final CompletableFuture<DaemonConnection> connection;

    private EarlyStart(String socket, CompletableFuture<DaemonConnection> connection) {
        this.socket = socket;
        this.connection = connection;
    }

    /** Starts connecting when the command line names a daemon command; null otherwise. */
    static EarlyStart of(CliEnv env, String[] args) {
        String command = Main.commandName(args);
        List<String> words = List.of(args);
        if (command == null || !DAEMON_COMMANDS.contains(command) || words.contains("--client")
                || words.contains("-h") || words.contains("--help")) {
            return null;
        }
        warmJackson();
        String socket = Main.socketPath(env, socketFlag(args));
        CompletableFuture<DaemonConnection> connection = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                DaemonConnection c = env.connections().open(socket);
                c.channel().getState(true); // connect now; the first call finds the transport ready
                connection.complete(c);
            } catch (RuntimeException e) {
                connection.completeExceptionally(e);
            }
        }, "hyprctl-connect");
        t.setDaemon(true);
        t.start();
        return new EarlyStart(socket, connection);
    }

    /** The connection opened early, if it was opened to {@code path} and opening did not fail. */
    DaemonConnection take(String path) {
        if (!socket.equals(path)) {
            return null;
        }
        try {
            return connection.join();
        } catch (RuntimeException e) {
            return null; // opened again by the caller, which then reports the failure
        }
    }

    /** Closes the early connection when the command never used it (usage error, other socket). */
    void closeUnused(DaemonConnection used) {
        connection.thenAccept(c -> {
            if (c != used) {
                c.close();
            }
        });
    }

    private static void warmJackson() {
        Thread t = new Thread(() -> Json.parseObject("{}"), "hyprctl-warm-json");
        t.setDaemon(true);
        t.start();
    }

    /** {@code --socket PATH} or {@code --socket=PATH} anywhere on the line (the option is inherited by every command). */
    static String socketFlag(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                return null;
            }
            if (args[i].equals("--socket") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--socket=")) {
                return args[i].substring("--socket=".length());
            }
        }
        return null;
    }
}
