package dev.hypr.cli.uds;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link Socket} over a JDK Unix-domain {@link SocketChannel}, for libraries that only speak
 * {@code java.net.Socket} (gRPC's OkHttp transport). The streams call the channel directly:
 * {@code Channels.newInputStream} holds the channel's blocking lock while reading on JDK 17,
 * which would stall the writer of the same connection.
 */
public final class UnixStreamSocket extends Socket {
    /** What gRPC sees as the peer: the transport insists on an inet address; the real one is the path. */
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final UnixDomainSocketAddress path;
    private SocketChannel channel;
    private volatile boolean closed;

    /** Not yet connected; {@link #connect(SocketAddress)} connects to {@code path} whatever address it is given. */
    UnixStreamSocket(UnixDomainSocketAddress path) {
        this.path = path;
    }

    /** An accepted server-side connection. */
    UnixStreamSocket(SocketChannel accepted, UnixDomainSocketAddress path) {
        this.path = path;
        this.channel = accepted;
    }

    @Override
    public void connect(SocketAddress ignored, int timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(path);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        channel = ch;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public boolean isConnected() {
        return channel != null && channel.isConnected();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isBound() {
        return channel != null;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        SocketChannel ch = requireConnected();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                UnixStreamSocket.this.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        SocketChannel ch = requireConnected();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                UnixStreamSocket.this.close();
            }
        };
    }

    private SocketChannel requireConnected() throws IOException {
        if (channel == null) {
            throw new IOException("not connected to " + path);
        }
        return channel;
    }

    @Override
    public void shutdownInput() throws IOException {
        requireConnected().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        requireConnected().shutdownOutput();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    // TCP options mean nothing on a Unix socket; the transport sets them anyway.
    @Override
    public void setTcpNoDelay(boolean on) {
    }

    @Override
    public void setKeepAlive(boolean on) {
    }

    @Override
    public void setSoTimeout(int timeout) {
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return LOOPBACK;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return LOOPBACK;
    }

    @Override
    public String toString() {
        return "UnixStreamSocket[" + path + "]";
    }
}
