package dev.hypr.controller.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One protocol frame: {@code u32 payload length (big-endian) | u8 type | u32 stream id | payload}.
 * Stream id 0 is the workload (or the agent itself); exec sessions use ids chosen by the host.
 */
public record Frame(int type, int id, byte[] payload) {
    public static final int HEADER_BYTES = 9;
    /** Same limit as Kestrel: a longer length means a corrupt stream. */
    public static final int MAX_PAYLOAD = 1 << 20;

    public Frame {
        if (payload.length > MAX_PAYLOAD) throw new IllegalArgumentException("payload over " + MAX_PAYLOAD + " bytes");
    }

    public static Frame of(int type, int id) {
        return new Frame(type, id, new byte[0]);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + payload.length)
                .putInt(payload.length).put((byte) type).putInt(id).put(payload).array();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The first big-endian u32 of the payload (pids, exit codes). */
    public int payloadInt(int index) {
        return ByteBuffer.wrap(payload).getInt(index * 4);
    }
}
