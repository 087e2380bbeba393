package dev.hypr.controller.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The build context's chunks as gRPC delivers them, read as one stream by the thread that unpacks
 * them, so the context is written to disk once (unpacked) instead of as a tar first and unpacked
 * after. A bounded queue: a fast client waits for the disk. Chunks may be offered from any gRPC
 * thread (unlike piped streams, no thread identity matters).
 */
final class ContextStream extends InputStream {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];
    private static final int QUEUED_CHUNKS = 16;

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS + 1);
    private volatile boolean readerGone;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    /**
     * Hands a chunk to the reader; fails when it cannot be queued because the reader stopped (its
     * own result says why). A chunk queued just as the reader ends is simply not read.
     */
    void offer(byte[] chunk) throws IOException, InterruptedException {
        while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            if (readerGone) throw new IOException("the context is no longer being read");
        }
    }

    /** The client sent everything. */
    void end() throws IOException, InterruptedException {
        offer(END);
    }

    /** The client went away: the reader fails instead of waiting. */
    void abort() {
        chunks.clear();
        chunks.offer(ABORT);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (pos == current.length) {
            if (ended) return -1;
            byte[] next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while receiving the build context", e);
            }
            if (next == ABORT) throw new IOException("the client ended the build before sending its whole context");
            if (next == END) {
                ended = true;
                return -1;
            }
            current = next;
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The reader is done (or failed): later offers fail fast instead of blocking. */
    @Override
    public void close() {
        readerGone = true;
        chunks.clear();
    }
}
