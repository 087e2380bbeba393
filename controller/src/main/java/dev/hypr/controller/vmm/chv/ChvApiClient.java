package dev.hypr.controller.vmm.chv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * cloud-hypervisor's REST API over its --api-socket. HTTP/1.1 by hand with
 * "Connection: close", one request per connection: the JDK HttpClient cannot dial Unix sockets.
 */
public final class ChvApiClient {
    private final Path socket;

    public ChvApiClient(Path socket) {
        this.socket = socket;
    }

    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Response put(String endpoint, String jsonBody) throws IOException {
        return send(request("PUT", endpoint, jsonBody));
    }

    public Response get(String endpoint) throws IOException {
        return send(request("GET", endpoint, null));
    }

    /** The raw request bytes: exposed for tests. */
    static String request(String method, String endpoint, String body) {
        StringBuilder r = new StringBuilder(method).append(" /api/v1/").append(endpoint).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nAccept: application/json\r\nConnection: close\r\n");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) r.append("Content-Type: application/json\r\n");
        r.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        if (body != null) r.append(body);
        return r.toString();
    }

    static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || headerEnd < 0) throw new IOException("not an HTTP response: " + text);
        int status = Integer.parseInt(text.substring(9, 12));
        return new Response(status, text.substring(headerEnd + 4));
    }

    private Response send(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) ch.write(out);
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return parse(in.toByteArray());
        }
    }
}
