package dev.hypr.controller.image.layer;

import dev.hypr.controller.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Opens and decompresses a layer on its own thread, at most {@code CHUNKS * CHUNK} bytes ahead of
 * the reader, so inflating one layer overlaps with merging it (and with merging the layer
 * before it). Errors from the producer (a failed download, corrupt gzip) surface on the next read.
 */
final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 8;
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread producer;
    private volatile boolean closed;
    private volatile Exception failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    ReadAhead(LayerSource source) {
        producer = Threads.start("layer-read-ahead", () -> produce(source));
    }

    private void produce(LayerSource source) {
        try (InputStream in = source.open()) {
            while (!closed) {
                byte[] chunk = in.readNBytes(CHUNK);
                if (chunk.length > 0 && !put(chunk)) {
                    return;
                }
                if (chunk.length < CHUNK) {
                    break;
                }
            }
        } catch (Exception e) {
            failure = e;
        }
        put(END);
    }

    private boolean put(byte[] chunk) {
        try {
            while (!closed) {
                if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a layer");
            }
            pos = 0;
            if (current == END) {
                ended = true;
                Exception f = failure;
                if (f != null) {
                    throw f instanceof IOException io ? io : new IOException(f.getMessage(), f);
                }
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long left = n;
        byte[] scratch = null;
        while (left > 0) {
            if (pos < current.length) {
                int k = (int) Math.min(left, current.length - pos);
                pos += k;
                left -= k;
            } else {
                scratch = scratch == null ? new byte[1] : scratch;
                if (read(scratch, 0, 1) < 0) {
                    break;
                }
                left--;
            }
        }
        return n - left;
    }

    /** Stops the producer; it ends within ~100 ms or when its blocking open/read returns. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        producer.interrupt();
    }
}
