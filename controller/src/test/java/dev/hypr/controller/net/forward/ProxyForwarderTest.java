package dev.hypr.controller.net.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.HostForward.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy against real loopback sockets: an echo "guest" behind it. */
class ProxyForwarderTest {
    private final List<Forward> lost = new CopyOnWriteArrayList<>();
    private final ProxyForwarder proxy = new ProxyForwarder(lost::add);

    @AfterEach
    void close() {
        proxy.closeAll();
    }

    @Test
    void tcpBytesReachTheTargetAndComeBack() throws Exception {
        try (ServerSocket guest = echoServer()) {
            Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", freePort(), "127.0.0.1", guest.getLocalPort());
            proxy.expose(f);
            proxy.expose(f); // idempotent
            assertEquals(List.of(f), proxy.list("web"));
            try (Socket s = new Socket("127.0.0.1", f.hostPort())) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput(); // the half-close travels through
                assertEquals("hello", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertEquals(1, proxy.stats().connections());
            assertTrue(proxy.stats().bytesToGuest() >= 5 && proxy.stats().bytesFromGuest() >= 5);
        }
    }

    @Test
    void aHostIpThatIsNotAnAddressOfThisHostSaysSoNotPortInUse() throws Exception {
        // 192.0.2.1 (TEST-NET-1) is never assigned to a host; nothing is sent, the bind fails
        Forward f = new Forward("web", Protocol.TCP, "192.0.2.1", freePort(), "127.0.0.1", 80);
        ForwardException e = assertThrows(HostAddressMissingException.class, () -> proxy.expose(f));
        assertTrue(e.getMessage().startsWith("hostIP 192.0.2.1 is not an address of this host"), e.getMessage());
        assertTrue(!e.getMessage().contains("in use"), e.getMessage());
        Forward udp = new Forward("web", Protocol.UDP, "192.0.2.1", f.hostPort(), "127.0.0.1", 53);
        assertThrows(HostAddressMissingException.class, () -> proxy.expose(udp));
        assertEquals(List.of(), proxy.list("web"));
        assertTrue(!HostAddressMissingException.isLocal("192.0.2.1"));
        assertTrue(HostAddressMissingException.isLocal("127.0.0.9") && HostAddressMissingException.isLocal("0.0.0.0"));
    }

    @Test
    void udpDatagramsGetReplies() throws Exception {
        try (DatagramSocket guest = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                byte[] b = new byte[100];
                DatagramPacket p = new DatagramPacket(b, b.length);
                try {
                    guest.receive(p);
                    guest.send(new DatagramPacket(b, p.getLength(), p.getSocketAddress()));
                } catch (IOException ignored) {
                    // test ends
                }
            });
            echo.start();
            Forward f = new Forward("dns", Protocol.UDP, "127.0.0.1", freePort(), "127.0.0.1", guest.getLocalPort());
            proxy.expose(f);
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(5000);
                client.send(new DatagramPacket("ping".getBytes(), 4, new InetSocketAddress("127.0.0.1", f.hostPort())));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                client.receive(reply);
                assertEquals("ping", new String(reply.getData(), 0, reply.getLength()));
            }
        }
    }

    @Test
    void portHeldBySomeoneElseIsAConflict() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", taken.getLocalPort(), "127.0.0.1", 80);
            PortConflictException e = assertThrows(PortConflictException.class, () -> proxy.expose(f));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertEquals(List.of(), proxy.list());
        }
    }

    @Test
    void portPublishedByAnotherVmIsAConflict() throws Exception {
        int port = freePort();
        proxy.expose(new Forward("a", Protocol.TCP, "127.0.0.1", port, "127.0.0.1", 80));
        PortConflictException e = assertThrows(PortConflictException.class,
                () -> proxy.expose(new Forward("b", Protocol.TCP, "127.0.0.1", port, "127.0.0.1", 81)));
        assertTrue(e.getMessage().contains("published by a"), e.getMessage());
    }

    @Test
    void unexposeClosesTheListenerAndIsIdempotent() throws Exception {
        Forward f = new Forward("web", Protocol.TCP, "127.0.0.1", freePort(), "127.0.0.1", 80);
        proxy.expose(f);
        proxy.unexpose(f);
        proxy.unexpose(f);
        assertEquals(List.of(), proxy.list());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", f.hostPort()).close());
    }

    static ServerSocket echoServer() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept(); InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
