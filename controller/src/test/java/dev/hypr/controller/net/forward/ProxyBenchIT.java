package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.controller.vmm.HostForward.Protocol;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bench/net-forward.sh: 100 MB through hyprd's proxy against the same transfer direct, and
 * connection set-up (connect + 1-byte echo) through each, on loopback. Prints one line per number.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyBenchIT {
    private static final long BYTES = 100L * 1024 * 1024;

    @Test
    void throughputAndSetupLatency() throws Exception {
        ProxyForwarder proxy = new ProxyForwarder(f -> { });
        try (ServerSocket sink = sinkServer(); ServerSocket echo = ProxyForwarderTest.echoServer()) {
            Forward toSink = new Forward("bench", Protocol.TCP, "127.0.0.1", ProxyForwarderTest.freePort(), "127.0.0.1", sink.getLocalPort());
            Forward toEcho = new Forward("bench", Protocol.TCP, "127.0.0.1", ProxyForwarderTest.freePort(), "127.0.0.1", echo.getLocalPort());
            proxy.expose(toSink);
            proxy.expose(toEcho);
            transfer(sink.getLocalPort()); // warm-up
            transfer(toSink.hostPort());
            double direct = transfer(sink.getLocalPort());
            double proxied = transfer(toSink.hostPort());
            System.out.printf("net-forward: 100 MB direct  %.0f MB/s%n", direct);
            System.out.printf("net-forward: 100 MB proxied %.0f MB/s (%.0f%% of direct)%n", proxied, 100 * proxied / direct);
            setup(echo.getLocalPort(), 200);
            setup(toEcho.hostPort(), 200);
            System.out.printf("net-forward: connect+1-byte echo direct  %.0f us (mean of 500)%n", setup(echo.getLocalPort(), 500));
            System.out.printf("net-forward: connect+1-byte echo proxied %.0f us (mean of 500)%n", setup(toEcho.hostPort(), 500));
        } finally {
            proxy.closeAll();
        }
    }

    /** MB/s of BYTES written to a sink that answers with one byte once it read them all. */
    private static double transfer(int port) throws Exception {
        byte[] chunk = new byte[256 * 1024];
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < BYTES; sent += chunk.length) {
                out.write(chunk);
            }
            s.shutdownOutput();
            assertEquals(1, s.getInputStream().read());
        }
        return BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    private static double setup(int port, int n) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(7);
                s.shutdownOutput();
                assertEquals(7, s.getInputStream().read());
            }
        }
        return (System.nanoTime() - t0) / 1e3 / n;
    }

    private static ServerSocket sinkServer() throws Exception {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256 * 1024];
            while (!s.isClosed()) {
                try (Socket c = s.accept(); InputStream in = c.getInputStream()) {
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                    c.getOutputStream().write(1);
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }
}
