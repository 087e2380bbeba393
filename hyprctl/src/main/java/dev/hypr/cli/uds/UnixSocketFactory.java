package dev.hypr.cli.uds;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import javax.net.SocketFactory;

/** Every socket it makes connects to one Unix socket path, whatever host and port it is asked for. */
public final class UnixSocketFactory extends SocketFactory {
    private final UnixDomainSocketAddress path;

    public UnixSocketFactory(Path path) {
        this.path = UnixDomainSocketAddress.of(path);
    }

    @Override
    public Socket createSocket() {
        return new UnixStreamSocket(path);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(null);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket((String) null, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket((String) null, port);
    }
}
