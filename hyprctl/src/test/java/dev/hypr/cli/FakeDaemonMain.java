package dev.hypr.cli;

import io.grpc.Server;
import dev.hypr.cli.uds.UnixSocketServers;
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
        Server server = UnixSocketServers.start(socket, hypr);
        System.out.println("fake hyprd on " + socket);
        server.awaitTermination();
    }
}
