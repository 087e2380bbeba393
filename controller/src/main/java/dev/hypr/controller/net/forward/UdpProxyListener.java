package dev.hypr.controller.net.forward;

import dev.hypr.controller.util.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Relays datagrams from hostIP:hostPort to the VM. Each client gets its own upstream socket,
 * so replies find their way back; a flow idle for {@link #IDLE_MILLIS} is dropped.
 */
final class UdpProxyListener implements ProxyListener {
    private static final Logger LOG = Logger.getLogger(UdpProxyListener.class);
    static final int IDLE_MILLIS = 60_000;

    private final Forward forward;
    private final DatagramChannel socket;
    private final ProxyStats stats;
    private final Runnable onLost;
    private final Map<SocketAddress, DatagramChannel> flows = new ConcurrentHashMap<>();
    private volatile boolean closing;

    UdpProxyListener(Forward forward, ProxyStats stats, Runnable onLost) throws IOException {
        this.forward = forward;
        this.stats = stats;
        this.onLost = onLost;
        this.socket = DatagramChannel.open();
        try {
            socket.bind(new InetSocketAddress(forward.hostIP(), forward.hostPort()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Threads.start("hypr-proxy-udp-" + forward.hostPort(), this::receiveLoop);
    }

    @Override
    public Forward forward() {
        return forward;
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65_535);
        try {
            while (true) {
                buf.clear();
                SocketAddress client = socket.receive(buf);
                buf.flip();
                stats.datagrams.incrementAndGet();
                stats.bytesToGuest.addAndGet(buf.remaining());
                flow(client).write(buf);
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.warnf("proxy listener %s lost: %s", forward, e.getMessage());
                close();
                onLost.run();
            }
        }
    }

    private DatagramChannel flow(SocketAddress client) throws IOException {
        DatagramChannel existing = flows.get(client);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        DatagramChannel up = DatagramChannel.open();
        up.connect(new InetSocketAddress(forward.targetIP(), forward.targetPort()));
        up.socket().setSoTimeout(IDLE_MILLIS);
        flows.put(client, up);
        Threads.start("hypr-proxy-udp-reply", () -> relayReplies(client, up));
        return up;
    }

    private void relayReplies(SocketAddress client, DatagramChannel up) {
        byte[] data = new byte[65_535];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(data, data.length);
        try (up) {
            while (true) {
                up.socket().receive(packet); // blocking with SO_TIMEOUT: ends idle flows
                stats.bytesFromGuest.addAndGet(packet.getLength());
                socket.send(ByteBuffer.wrap(data, 0, packet.getLength()), client);
            }
        } catch (IOException e) {
            // idle timeout, or the listener closed
        } finally {
            flows.remove(client, up);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        flows.values().forEach(f -> {
            try {
                f.close();
            } catch (IOException ignored) {
                // already closed
            }
        });
    }
}
