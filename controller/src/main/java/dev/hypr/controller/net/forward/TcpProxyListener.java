package dev.hypr.controller.net.forward;

import dev.hypr.controller.util.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Accepts on hostIP:hostPort and splices each connection to the VM's address, one thread per
 * direction (virtual threads on 21+). A half-close is passed on, so request/response protocols
 * that shut down their sending side keep working.
 */
final class TcpProxyListener implements ProxyListener {
    private static final Logger LOG = Logger.getLogger(TcpProxyListener.class);
    private static final int BUFFER = 64 * 1024;

    private final Forward forward;
    private final ServerSocketChannel server;
    private final ProxyStats stats;
    private final Runnable onLost;
    private volatile boolean closing;
    private final Thread acceptor;

    TcpProxyListener(Forward forward, ProxyStats stats, Runnable onLost) throws IOException {
        this.forward = forward;
        this.stats = stats;
        this.onLost = onLost;
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(forward.hostIP(), forward.hostPort()), 512);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        acceptor = Threads.start("hypr-proxy-" + forward.hostPort(), this::acceptLoop);
    }

    @Override
    public Forward forward() {
        return forward;
    }

    @Override
    public boolean isOpen() {
        return server.isOpen();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                Threads.start("hypr-proxy-conn", () -> serve(client));
            }
        } catch (IOException e) {
            if (!closing) {
                // the socket was torn down from outside (ss -K, a namespace change): say so and
                // let the reconciler bind it again
                LOG.warnf("proxy listener %s lost: %s", forward, e.getMessage());
                close();
                onLost.run();
            }
        }
    }

    private void serve(SocketChannel client) {
        stats.connections.incrementAndGet();
        stats.activeConnections.incrementAndGet();
        try (client; SocketChannel upstream = SocketChannel.open()) {
            upstream.socket().connect(new InetSocketAddress(forward.targetIP(), forward.targetPort()), 5000);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Thread back = Threads.start("hypr-proxy-back", () -> pump(upstream, client, stats.bytesFromGuest));
            pump(client, upstream, stats.bytesToGuest);
            back.join();
        } catch (IOException e) {
            LOG.debugf("proxy %s: %s", forward, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stats.activeConnections.decrementAndGet();
        }
    }

    private static void pump(SocketChannel from, SocketChannel to, AtomicLong counter) {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                counter.addAndGet(buf.remaining());
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away: closing both ends (by the caller) ends the other direction
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        // The port is free only once the accepting thread has left accept(): wait for it, so
        // that unexpose means "no longer listening" when it returns.
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
