package dev.hypr.controller.vmm.chv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChvApiClientTest {
    @TempDir
    Path tmp;

    @Test
    void putSendsAJsonRequestAndParsesTheStatus() throws Exception {
        Path sock = tmp.resolve("api.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                String req = "";
                while (!req.contains("\r\n\r\n") || !req.endsWith("}")) {
                    c.read(buf);
                    req = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                }
                c.write(ByteBuffer.wrap("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n".getBytes()));
                return req;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        ChvApiClient.Response r = new ChvApiClient(sock).put("vm.create", "{\"cpus\":{}}");
        assertEquals(204, r.status());
        assertTrue(r.ok());
        String req = received.get(5, TimeUnit.SECONDS);
        assertTrue(req.startsWith("PUT /api/v1/vm.create HTTP/1.1\r\n"), req);
        assertTrue(req.contains("Content-Type: application/json\r\n") && req.contains("Content-Length: 11\r\n"), req);
    }

    @Test
    void bodylessRequestsCarryZeroLength() {
        String req = ChvApiClient.request("PUT", "vm.boot", null);
        assertEquals("PUT /api/v1/vm.boot HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n", req);
    }
}
