package dev.hypr.cli;

import dev.hypr.api.grpc.HyprGrpc;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to hyprd. Commands never build channels themselves: tests hand in an
 * in-process channel through {@link CliEnv.ConnectionFactory}.
 */
public final class DaemonConnection implements AutoCloseable {
    /** Deadline for unary calls: hyprd answers reads and writes in milliseconds. */
    public static final long CALL_TIMEOUT_SECONDS = 30;

    private final ManagedChannel channel;
    private final String target;
    private final Runnable onClose;

    public DaemonConnection(ManagedChannel channel, String target, Runnable onClose) {
        this.channel = channel;
        this.target = target;
        this.onClose = onClose;
    }

    public DaemonConnection(ManagedChannel channel, String target) {
        this(channel, target, () -> { });
    }

    /** A channel over the Unix socket at {@code path} (Netty epoll; loaded only here). */
    public static DaemonConnection unixSocket(String path) {
        return UnixSocketChannels.open(path);
    }

    /** Where the daemon is, for messages: the socket path. */
    public String target() {
        return target;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** A blocking stub with the default deadline for unary calls. */
    public HyprGrpc.HyprBlockingStub api() {
        return HyprGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** A blocking stub without deadline, for watches that carry their own. */
    public HyprGrpc.HyprBlockingStub streaming() {
        return HyprGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.run();
    }

    /**
     * The socket path: {@code --socket}, else {@code HYPR_SOCKET}, else {@code /run/hypr/hypr.sock}
     * for root, else {@code $XDG_RUNTIME_DIR/hypr/hypr.sock}.
     */
    public static String resolveSocket(String flag, Map<String, String> env, boolean root) {
        if (flag != null && !flag.isEmpty()) {
            return flag;
        }
        String fromEnv = env.get("HYPR_SOCKET");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (root || runtime == null || runtime.isEmpty()) {
            return "/run/hypr/hypr.sock";
        }
        return runtime + "/hypr/hypr.sock";
    }

    /** Whether this process runs as uid 0 (the owner of /proc/self). */
    public static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
