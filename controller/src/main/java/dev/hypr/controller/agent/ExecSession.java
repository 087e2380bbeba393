package dev.hypr.controller.agent;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One running exec in the guest: write stdin, receive output through callbacks, await the exit code. */
public final class ExecSession {
    private final int id;
    private final AgentConnection connection;
    private final Consumer<byte[]> stdout;
    private final Consumer<byte[]> stderr;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private volatile String error;

    ExecSession(int id, AgentConnection connection, Consumer<byte[]> stdout, Consumer<byte[]> stderr) {
        this.id = id;
        this.connection = connection;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public int id() {
        return id;
    }

    /** Completes with the exit status (128+signal when killed); exceptionally if the agent connection is closed. */
    public CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    /** Kestrel's reason when it could not start the command (then the exit code is 127). */
    public String error() {
        return error;
    }

    public void writeStdin(byte[] data) {
        for (int off = 0; off < data.length; off += Frame.MAX_PAYLOAD) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + Frame.MAX_PAYLOAD));
            connection.send(new Frame(FrameType.STDIN, id, chunk));
        }
    }

    public void closeStdin() {
        connection.send(Frame.of(FrameType.STDIN_CLOSE, id));
    }

    public void resize(int cols, int rows) {
        connection.send(new Frame(FrameType.RESIZE, id,
                ByteBuffer.allocate(4).putShort((short) cols).putShort((short) rows).array()));
    }

    public void signal(int signal) {
        connection.send(new Frame(FrameType.SIGNAL, id, ByteBuffer.allocate(4).putInt(signal).array()));
    }

    /** Dispatch from the reader thread. Returns true when the session is over. */
    boolean deliver(Frame frame) {
        switch (frame.type()) {
            case FrameType.STDOUT -> stdout.accept(frame.payload());
            case FrameType.STDERR -> stderr.accept(frame.payload());
            case FrameType.ERROR -> error = frame.payloadText();
            case FrameType.EXITED -> {
                exitCode.complete(frame.payloadInt(0));
                return true;
            }
            default -> { }
        }
        return false;
    }

    void abort(Exception cause) {
        exitCode.completeExceptionally(cause);
    }
}
