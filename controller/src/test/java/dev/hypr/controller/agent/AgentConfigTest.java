package dev.hypr.controller.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host side of CONFIG against a scripted guest: sent when HELLO wants it, on every such connection, never otherwise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentConfigTest {
    @TempDir
    Path dir;

    private static final byte[] CONFIG = "arg=sleep\0arg=1\0env=PASSWORD=hunter2".getBytes(StandardCharsets.UTF_8);

    /** Plays Kestrel for one connection: HELLO with the given config state, then returns the host's frames until PING. */
    private static List<Frame> guestSession(ServerSocketChannel server, String config) throws IOException {
        try (SocketChannel ch = server.accept()) {
            byte[] hello = ("agent=kestrel/2\0workload=none\0pid=0\0exit=0\0restarts=0\0config=" + config).getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(new Frame(FrameType.HELLO, 0, hello).encode()));
            FrameReader frames = new FrameReader(new DataInputStream(Channels.newInputStream(ch)));
            List<Frame> got = new ArrayList<>();
            for (Frame f = frames.read(); f.type() != FrameType.PING; f = frames.read()) got.add(f);
            return got;
        }
    }

    @Test
    void configIsSentOnEveryConnectionWhoseHelloWantsIt() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Files.write(dir.resolve(AgentConnection.WORKLOAD_CONFIG_FILE), CONFIG);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var hellos = new java.util.concurrent.LinkedBlockingQueue<AgentHello>();
            try (AgentConnection agent = AgentConnection.open(socket, new AgentListener() {
                @Override
                public void onConnected(AgentHello hello) {
                    hellos.add(hello);
                }
            })) {
                var first = new java.util.concurrent.CompletableFuture<List<Frame>>();
                Thread guest = new Thread(() -> {
                    try {
                        first.complete(guestSession(server, "wanted"));
                    } catch (IOException e) {
                        first.completeExceptionally(e);
                    }
                });
                guest.start();
                assertEquals(true, hellos.poll(10, TimeUnit.SECONDS).configWanted());
                agent.ping();
                List<Frame> frames = first.get(10, TimeUnit.SECONDS);
                List<Frame> configs = frames.stream().filter(f -> f.type() == FrameType.CONFIG).toList();
                assertEquals(1, configs.size(), frames.toString());
                assertArrayEquals(CONFIG, configs.get(0).payload());

                // a reconnect (hyprd restarted, or the channel dropped) after the guest got it: nothing sent
                var second = new java.util.concurrent.CompletableFuture<List<Frame>>();
                new Thread(() -> {
                    try {
                        second.complete(guestSession(server, "received"));
                    } catch (IOException e) {
                        second.completeExceptionally(e);
                    }
                }).start();
                assertEquals(false, hellos.poll(10, TimeUnit.SECONDS).configWanted(), "the guest closed: the agent reconnects");
                agent.ping();
                assertEquals(List.of(), second.get(10, TimeUnit.SECONDS).stream().filter(f -> f.type() == FrameType.CONFIG).toList());
            }
        }
    }
}
