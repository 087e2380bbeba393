package dev.hypr.cli.uds;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ServerSocketFactory;

/**
 * Server sockets that listen on one Unix socket path instead of the port they are asked for:
 * lets gRPC's OkHttp server serve the stand-in daemons of the training run and the tests.
 */
public final class UnixServerSocketFactory extends ServerSocketFactory {
    private final UnixDomainSocketAddress path;

    public UnixServerSocketFactory(Path path) {
        this.path = UnixDomainSocketAddress.of(path);
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new Listener(path);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = createServerSocket();
        s.bind(null);
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        return createServerSocket(port);
    }

    private static final class Listener extends ServerSocket {
        private final UnixDomainSocketAddress path;
        private ServerSocketChannel channel;
        private volatile boolean closed;

        Listener(UnixDomainSocketAddress path) throws IOException {
            this.path = path;
        }

        @Override
        public void bind(SocketAddress ignored, int backlog) throws IOException {
            Files.deleteIfExists(path.getPath());
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(path, backlog);
        }

        @Override
        public void bind(SocketAddress ignored) throws IOException {
            bind(ignored, 50);
        }

        @Override
        public Socket accept() throws IOException {
            return new UnixStreamSocket(channel.accept(), path);
        }

        @Override
        public boolean isBound() {
            return channel != null;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return UnixStreamSocket.LOOPBACK;
        }

        @Override
        public int getLocalPort() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(path.getPath());
        }
    }
}
