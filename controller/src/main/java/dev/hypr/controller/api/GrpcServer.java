package dev.hypr.controller.api;

import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.util.Threads;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Serves the gRPC API on the Unix socket (mode 0660: root and the {@code hypr} group, see {@link SocketAccess}). */
@ApplicationScoped
public class GrpcServer {
    private static final Logger LOG = Logger.getLogger(GrpcServer.class);
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    @ConfigProperty(name = "hypr.socket")
    String socketPath;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private Server server;
    private EpollEventLoopGroup boss;
    private EpollEventLoopGroup workers;

    void start(@Observes StartupEvent ev, ObjectStore store, MeterRegistry registry, dev.hypr.controller.vm.VmRuntimes vms,
            dev.hypr.controller.events.EventRecorder events, ImagesApi images,
            dev.hypr.controller.build.BuildService builds) throws IOException {
        Path socket = Path.of(socketPath);
        Files.createDirectories(socket.getParent());
        refuseIfAnotherDaemonListens(socket);
        Files.deleteIfExists(socket);
        boss = new EpollEventLoopGroup(1);
        workers = new EpollEventLoopGroup(2);
        HyprService service = new HyprService(store, ObjectValidator.standard(), version,
                HyprService.VmStreams.of(store, vms, events), images, builds);
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .executor(Threads.perTaskExecutor())
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                // grpc-netty sets TCP keep-alive on every accepted channel; a Unix socket has no such
                // option and Netty warned about it on every connection. null removes it.
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .addService(ServerInterceptors.intercept(service, new GrpcMetrics(registry)))
                .build()
                .start();
        SocketAccess.restrict(socket);
        LOG.infof("gRPC API listening on %s (%s)", socket, SocketAccess.describe(socket));
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        if (server != null) {
            server.shutdown();
            server.awaitTermination(2, TimeUnit.SECONDS);
            server.shutdownNow();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            try {
                Files.deleteIfExists(Path.of(socketPath));
            } catch (IOException ignored) {
                // a stale socket is removed by the next start anyway
            }
        }
    }

    /** A socket file that still accepts connections belongs to a live hyprd: never steal it. */
    private static void refuseIfAnotherDaemonListens(Path socket) {
        if (!Files.exists(socket)) {
            return;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException stale) {
            return;
        }
        throw new IllegalStateException("another hyprd is already serving " + socket);
    }
}
