package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.qemu.QmpClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QmpClient against a scripted fake QMP server on a Unix socket. */
class QmpClientTest {
    @TempDir
    Path tmp;

    /** Replies to each request line with the next scripted line(s), recording the requests. */
    private List<String> fakeServer(Path socket, List<String> replies) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                PrintStream out = new PrintStream(Channels.newOutputStream(c), true);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c)));
                out.println("{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}");
                for (String reply : replies) {
                    String line = in.readLine();
                    if (line == null) return;
                    requests.add(line);
                    out.println(reply);
                }
            } catch (Exception ignored) {
                // the test's assertions report what went wrong
            }
        });
        t.setDaemon(true);
        t.start();
        return requests;
    }

    @Test
    void negotiatesCapabilitiesAndSkipsEvents() throws Exception {
        Path sock = tmp.resolve("qmp.sock");
        List<String> requests = fakeServer(sock, List.of(
                "{\"return\": {}}",
                "{\"event\": \"RESUME\", \"timestamp\": {}}\n{\"return\": {\"status\": \"running\", \"running\": true}}",
                "{\"return\": \"\"}"));
        try (QmpClient qmp = QmpClient.connect(sock)) {
            assertEquals("running", qmp.queryStatus());
            assertEquals("", qmp.humanMonitorCommand("hostfwd_add n0 tcp:127.0.0.1:1-:80"));
            assertEquals(1, qmp.events().size());
        }
        assertEquals("{\"execute\":\"qmp_capabilities\"}", requests.get(0));
        assertEquals("{\"execute\":\"query-status\"}", requests.get(1));
        assertTrue(requests.get(2).contains("\"command-line\":\"hostfwd_add n0 tcp:127.0.0.1:1-:80\""), requests.get(2));
    }

    @Test
    void errorRepliesBecomeExceptions() throws Exception {
        Path sock = tmp.resolve("qmp.sock");
        fakeServer(sock, List.of("{\"return\": {}}", "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"nope\"}}"));
        try (QmpClient qmp = QmpClient.connect(sock)) {
            QmpClient.QmpException e = assertThrows(QmpClient.QmpException.class, () -> qmp.execute("bogus", Map.of()));
            assertTrue(e.getMessage().contains("CommandNotFound: nope"), e.getMessage());
        }
    }
}
