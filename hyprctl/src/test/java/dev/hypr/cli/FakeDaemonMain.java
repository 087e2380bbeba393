package dev.hypr.cli;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link FakeHypr} on a real Unix socket, for measuring hyprctl start-up without hyprd:
 * {@code java -cp hyprctl/target/test-classes:hyprctl/target/lib/* dev.hypr.cli.FakeDaemonMain SOCKET [N]}
 * serves N VMs named vm-0.. (default 10).
 */
public final class FakeDaemonMain {
    private FakeDaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Files.deleteIfExists(socket);
        FakeHypr hypr = new FakeHypr();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (int i = 0; i < n; i++) {
            hypr.put(Fixtures.liveVm("vm-" + i, "Running", ""));
        }
        EpollEventLoopGroup group = new EpollEventLoopGroup(2);
        Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group).workerEventLoopGroup(group)
                .addService(hypr).build().start();
        System.out.println("fake hyprd on " + socket);
        server.awaitTermination();
    }
}
