package dev.hypr.controller.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Firecracker/cloud-hypervisor "hybrid vsock": the VMM's Unix socket multiplexes guest vsock
 * ports; a client writes "CONNECT &lt;port&gt;\n" and gets "OK &lt;hostport&gt;\n" once the guest accepted.
 */
final class HybridVsock {
    private HybridVsock() {}

    static void connect(SocketChannel ch, InputStream in, int port) throws IOException {
        ByteBuffer request = ByteBuffer.wrap(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
        while (request.hasRemaining()) ch.write(request);
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0 || line.length() > 64) throw new IOException("hybrid vsock: no reply to CONNECT " + port);
            line.append((char) c);
        }
        if (!line.toString().startsWith("OK ")) throw new IOException("hybrid vsock: " + line);
    }
}
