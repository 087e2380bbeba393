package dev.hypr.controller.agent;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads frames from a byte stream; can skip to Kestrel's HELLO when joining a stream mid-way. */
public final class FrameReader {
    static final byte[] HELLO_SIGNATURE = "agent=kestrel/".getBytes(StandardCharsets.US_ASCII);
    private final DataInputStream in;

    public FrameReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    public Frame read() throws IOException {
        int length = in.readInt();
        if (length < 0 || length > Frame.MAX_PAYLOAD) throw new IOException("corrupt frame length " + length);
        int type = in.readUnsignedByte();
        int id = in.readInt();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, id, payload);
    }

    /**
     * Discards bytes until a HELLO frame and returns it. A new connection to a VM whose
     * previous client vanished may start inside a frame the old client got half of.
     */
    public Frame skipToHello() throws IOException {
        byte[] window = new byte[Frame.HEADER_BYTES + HELLO_SIGNATURE.length];
        in.readFully(window);
        while (!isHelloStart(window)) {
            int next = in.read();
            if (next < 0) throw new EOFException("stream ended before HELLO");
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = (byte) next;
        }
        int length = ((window[0] & 0xff) << 24) | ((window[1] & 0xff) << 16) | ((window[2] & 0xff) << 8) | (window[3] & 0xff);
        byte[] payload = Arrays.copyOf(Arrays.copyOfRange(window, Frame.HEADER_BYTES, window.length), length);
        in.readFully(payload, HELLO_SIGNATURE.length, length - HELLO_SIGNATURE.length);
        return new Frame(FrameType.HELLO, 0, payload);
    }

    private static boolean isHelloStart(byte[] w) {
        int length = ((w[0] & 0xff) << 24) | ((w[1] & 0xff) << 16) | ((w[2] & 0xff) << 8) | (w[3] & 0xff);
        if (length < HELLO_SIGNATURE.length || length > 4096 || (w[4] & 0xff) != FrameType.HELLO) return false;
        if (w[5] != 0 || w[6] != 0 || w[7] != 0 || w[8] != 0) return false;
        return Arrays.equals(w, Frame.HEADER_BYTES, w.length, HELLO_SIGNATURE, 0, HELLO_SIGNATURE.length);
    }
}
