package dev.hypr.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/** The only class that touches Netty, so commands that never reach hyprd never load it. */
final class UnixSocketChannels {
    private UnixSocketChannels() {
    }

    static DaemonConnection open(String path) {
        // java.util.logging (silenced by Main) instead of probing for SLF4J
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        if (!Epoll.isAvailable()) {
            throw new CliException("cannot reach hyprd at " + path + ": Unix sockets need Linux epoll ("
                    + Epoll.unavailabilityCause() + ")");
        }
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        return new DaemonConnection(channel, path,
                () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS));
    }
}
