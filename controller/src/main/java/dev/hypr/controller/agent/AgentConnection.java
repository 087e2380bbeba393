package dev.hypr.controller.agent;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The host end of one VM's Kestrel channel (a Unix socket served by the VMM). It stays
 * connected for the VM's whole life because Kestrel's writes block while no host client is
 * attached, and it reconnects by itself when the connection drops or the socket reappears
 * (e.g. a restarted hyprd adopting a running VM). One reader thread dispatches frames.
 */
public final class AgentConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentConnection.class.getName());
    private static final long RETRY_MIN_MS = 20;
    private static final long RETRY_MAX_MS = 500;

    /** The guest port Kestrel listens on under hybrid vsock (cloud-hypervisor). */
    public static final int VSOCK_PORT = 1024;

    /**
     * The workload config (a CONFIG payload), next to the agent socket in the VM's runtime
     * directory, written 0600 by the driver at create. Read at each connection whose HELLO
     * wants it, so a hyprd restarted during boot still delivers it.
     */
    public static final String WORKLOAD_CONFIG_FILE = "workload.cfg";

    private final Path socket;
    private final int vsockPort; // 0: virtio-serial, the socket is the guest port itself
    private final AgentListener listener;
    private final Thread reader;
    private final Object writeLock = new Object();
    private final Map<Integer, ExecSession> sessions = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> pings = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile SocketChannel channel;
    private volatile CompletableFuture<AgentHello> connected = new CompletableFuture<>();
    private volatile boolean closed;

    private AgentConnection(Path socket, int vsockPort, AgentListener listener) {
        this.socket = socket;
        this.vsockPort = vsockPort;
        this.listener = listener;
        this.reader = new Thread(this::run, "agent " + socket);
        this.reader.setDaemon(true);
    }

    /** Starts connecting in the background; the socket need not exist yet. */
    public static AgentConnection open(Path socket, AgentListener listener) {
        return start(new AgentConnection(socket, 0, listener));
    }

    /** cloud-hypervisor's hybrid vsock: the Unix socket needs "CONNECT port" before the stream starts. */
    public static AgentConnection openHybridVsock(Path socket, AgentListener listener) {
        return start(new AgentConnection(socket, VSOCK_PORT, listener));
    }

    private static AgentConnection start(AgentConnection c) {
        c.reader.start();
        return c;
    }

    public Path socket() {
        return socket;
    }

    public boolean isConnected() {
        return connected.isDone() && !connected.isCompletedExceptionally() && channel != null;
    }

    /** Waits for the current (or next) connection and returns Kestrel's HELLO. */
    public AgentHello awaitConnected(Duration timeout) throws InterruptedException {
        try {
            return connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AgentUnavailableException("agent at " + socket + " not connected within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AgentUnavailableException("agent connection failed", e.getCause());
        }
    }

    public CompletableFuture<Void> ping() {
        int id = nextId.getAndIncrement();
        CompletableFuture<Void> pong = new CompletableFuture<>();
        pings.put(id, pong);
        send(Frame.of(FrameType.PING, id));
        return pong;
    }

    /** Asks Kestrel to stop every process, sync and end the VM. */
    public void poweroff() {
        send(Frame.of(FrameType.POWEROFF, 0));
    }

    public void signalWorkload(int signal) {
        send(new Frame(FrameType.SIGNAL, 0, ByteBuffer.allocate(4).putInt(signal).array()));
    }

    public ExecSession exec(ExecRequest request, Consumer<byte[]> stdout, Consumer<byte[]> stderr) {
        ExecSession session = new ExecSession(nextId.getAndIncrement(), this, stdout, stderr);
        sessions.put(session.id(), session);
        try {
            send(new Frame(FrameType.EXEC, session.id(), request.encode()));
        } catch (RuntimeException e) {
            sessions.remove(session.id());
            throw e;
        }
        return session;
    }

    void send(Frame frame) {
        SocketChannel ch = channel;
        if (ch == null) throw new AgentUnavailableException("agent at " + socket + " is not connected");
        ByteBuffer buf = ByteBuffer.wrap(frame.encode());
        synchronized (writeLock) {
            try {
                while (buf.hasRemaining()) ch.write(buf);
            } catch (IOException e) {
                throw new AgentUnavailableException("write to agent failed: " + e.getMessage(), e);
            }
        }
    }

    /** Drops the current connection; the reader reconnects. Used by tests and by adoption. */
    public void dropConnection() {
        if (connected.isDone()) connected = new CompletableFuture<>(); // awaitConnected must wait for the next one
        closeChannel();
    }

    @Override
    public void close() {
        closed = true;
        closeChannel();
        reader.interrupt();
        AgentUnavailableException gone = new AgentUnavailableException("agent connection closed");
        sessions.values().forEach(s -> s.abort(gone));
        pings.values().forEach(p -> p.completeExceptionally(gone));
        connected.completeExceptionally(gone);
    }

    private void run() {
        long retryMs = RETRY_MIN_MS;
        while (!closed) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                retryMs = RETRY_MIN_MS;
                serve(ch);
            } catch (IOException e) {
                LOG.log(Level.FINE, "agent " + socket + ": " + e.getMessage());
            } finally {
                boolean wasConnected = channel != null || connected.isDone();
                channel = null;
                if (connected.isDone()) connected = new CompletableFuture<>();
                if (wasConnected && !closed) listener.onDisconnected();
            }
            if (closed) return;
            try {
                Thread.sleep(retryMs);
            } catch (InterruptedException e) {
                return;
            }
            retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
        }
    }

    private void serve(SocketChannel ch) throws IOException {
        InputStream input = new BufferedInputStream(new ChannelInput(ch), 65536);
        if (vsockPort != 0) HybridVsock.connect(ch, input, vsockPort);
        FrameReader frames = new FrameReader(input);
        channel = ch;
        send(Frame.of(FrameType.HELLO_REQUEST, 0));
        AgentHello hello = AgentHello.parse(frames.skipToHello().payload());
        if (hello.configWanted()) sendWorkloadConfig();
        listener.onConnected(hello);
        connected.complete(hello);
        while (!closed) {
            dispatch(frames.read());
        }
    }

    /** Kestrel waits for this before it starts the workload (PROTOCOL.md, CONFIG). */
    private void sendWorkloadConfig() {
        Path file = socket.resolveSibling(WORKLOAD_CONFIG_FILE);
        byte[] config;
        try {
            config = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warning("agent " + socket + ": Kestrel waits for its workload config but " + file + " cannot be read: " + e);
            return;
        }
        send(new Frame(FrameType.CONFIG, 0, config));
    }

    private void dispatch(Frame f) {
        if (f.id() != 0 && sessions.containsKey(f.id())) {
            if (sessions.get(f.id()).deliver(f)) sessions.remove(f.id());
            return;
        }
        switch (f.type()) {
            case FrameType.HELLO -> listener.onConnected(AgentHello.parse(f.payload()));
            case FrameType.PONG -> {
                CompletableFuture<Void> pong = pings.remove(f.id());
                if (pong != null) pong.complete(null);
            }
            case FrameType.STARTED -> { if (f.id() == 0) listener.onWorkloadStarted(f.payloadInt(0)); }
            case FrameType.EXITED -> { if (f.id() == 0) listener.onWorkloadExited(f.payloadInt(0), f.payloadInt(1)); }
            case FrameType.STDOUT -> listener.onWorkloadOutput(AgentListener.OutputStream.STDOUT, f.payload());
            case FrameType.STDERR -> listener.onWorkloadOutput(AgentListener.OutputStream.STDERR, f.payload());
            case FrameType.LOG -> listener.onAgentLog(f.payloadText());
            case FrameType.SHUTDOWN -> listener.onShutdown(f.payloadText());
            case FrameType.HEALTH -> listener.onHealth(HealthReport.parse(f.payload()));
            default -> LOG.fine(() -> "agent " + socket + ": unexpected frame type " + f.type());
        }
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is best effort; the reader notices either way
            }
        }
    }

    /**
     * InputStream over a SocketChannel without Channels.newInputStream, whose reads hold the
     * channel's blocking lock and would stall concurrent writers from other threads.
     */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel ch;

        ChannelInput(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ch.read(ByteBuffer.wrap(b, off, len));
        }
    }
}
