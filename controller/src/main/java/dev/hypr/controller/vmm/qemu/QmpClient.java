package dev.hypr.controller.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small synchronous QMP client: greeting, capabilities negotiation, then one command at a
 * time. Asynchronous events arriving between replies are kept in {@link #events()}.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SocketChannel channel;
    private final BufferedReader in;
    private final List<JsonNode> events = new ArrayList<>();

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    public static QmpClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            QmpClient client = new QmpClient(ch);
            JsonNode greeting = client.readMessage();
            if (!greeting.has("QMP")) throw new QmpException("not a QMP greeting: " + greeting);
            client.execute("qmp_capabilities", Map.of());
            return client;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Runs a command and returns its "return" value; a QMP error becomes a {@link QmpException}. */
    public synchronized JsonNode execute(String command, Map<String, ?> arguments) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) request.set("arguments", JSON.valueToTree(arguments));
        byte[] bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) channel.write(buf);
        while (true) {
            JsonNode reply = readMessage();
            if (reply.has("event")) {
                events.add(reply);
                continue;
            }
            if (reply.has("error")) {
                JsonNode err = reply.get("error");
                throw new QmpException(command + ": " + err.path("class").asText() + ": " + err.path("desc").asText());
            }
            return reply.path("return");
        }
    }

    /** "running", "paused", "shutdown", ... */
    public String queryStatus() throws IOException {
        return execute("query-status", Map.of()).path("status").asText();
    }

    /** ACPI power button. Kestrel does not act on it (no acpid); a last polite step before quit. */
    public void systemPowerdown() throws IOException {
        execute("system_powerdown", Map.of());
    }

    /** Ends QEMU at once (disk caches are flushed, unlike SIGKILL). The reply may race QEMU's exit. */
    public void quit() throws IOException {
        try {
            execute("quit", Map.of());
        } catch (IOException e) {
            // QEMU closed the socket while answering: that is the expected outcome
        }
    }

    /** HMP passthrough, e.g. "hostfwd_add n0 tcp:127.0.0.1:8080-:80"; returns HMP's text output. */
    public String humanMonitorCommand(String commandLine) throws IOException {
        return execute("human-monitor-command", Map.of("command-line", commandLine)).asText();
    }

    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) throw new IOException("QMP connection closed");
        return JSON.readTree(line);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public static final class QmpException extends IOException {
        public QmpException(String message) {
            super(message);
        }
    }
}
