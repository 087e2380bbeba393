package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hypr.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * gvproxy's forwarder API as documented (gvisor-tap-vsock pkg/services/forwarder), served on a
 * Unix socket: the JDK has no Unix-socket HTTP server, so this is a tiny one. Errors are HTTP
 * 500 with gvproxy's texts; forwards are kept in memory, like gvproxy's.
 */
final class FakeGvproxy implements AutoCloseable {
    final Map<String, JsonNode> forwards = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String failExposeWith;
    private final ServerSocketChannel server;
    private final Thread thread;

    FakeGvproxy(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "fake-gvproxy");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                handle(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(InputStream in, OutputStream out) throws IOException {
        String requestLine = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        requests.add(requestLine + " " + body);
        String path = requestLine.split(" ")[1];
        int status = 200;
        String reply = "";
        switch (path) {
            case "/services/forwarder/all" -> {
                ArrayNode all = Json.MAPPER.createArrayNode();
                forwards.values().forEach(all::add);
                reply = Json.write(all);
            }
            case "/services/forwarder/expose" -> {
                JsonNode req = Json.MAPPER.readTree(body);
                String key = req.path("protocol").asText() + "/" + req.path("local").asText();
                if (failExposeWith != null) {
                    status = 500;
                    reply = failExposeWith + "\n";
                } else if (forwards.putIfAbsent(key, req) != null) {
                    status = 500;
                    reply = "proxy already running\n";
                }
            }
            case "/services/forwarder/unexpose" -> {
                JsonNode req = Json.MAPPER.readTree(body);
                if (forwards.remove(req.path("protocol").asText() + "/" + req.path("local").asText()) == null) {
                    status = 500;
                    reply = "proxy not found\n";
                }
            }
            default -> status = 404;
        }
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: text/plain\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
