package dev.hypr.cli;

import dev.hypr.cli.uds.UnixSocketFactory;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Channels to hyprd's Unix socket. gRPC's OkHttp transport over a JDK Unix-domain channel rather
 * than Netty's epoll transport: it has no native library to extract and load and far fewer classes
 * to initialise, which cuts ~100 ms off every hyprctl command on a cold JVM.
 */
final class UnixSocketChannels {
    private UnixSocketChannels() {
    }

    static DaemonConnection open(String path) {
        // Our own daemon threads instead of gRPC's shared pools: those name their threads through
        // String.format, whose first use costs a cold JVM ~15 ms, and a CLI needs no pooling.
        ExecutorService threads = Executors.newCachedThreadPool(UnixSocketChannels::daemon);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(UnixSocketChannels::daemon);
        // the target only names the authority; every connection goes to the socket path
        ManagedChannel channel = OkHttpChannelBuilder.forTarget("dns:///localhost:0", InsecureChannelCredentials.create())
                .socketFactory(new UnixSocketFactory(Path.of(path)))
                .overrideAuthority("localhost")
                .executor(threads)
                .transportExecutor(threads)
                .offloadExecutor(threads)
                .scheduledExecutorService(timer)
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        return new DaemonConnection(channel, path, () -> {
            threads.shutdownNow();
            timer.shutdownNow();
        });
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "hyprctl-grpc");
        t.setDaemon(true);
        return t;
    }
}
