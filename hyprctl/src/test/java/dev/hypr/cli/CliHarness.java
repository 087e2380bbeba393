package dev.hypr.cli;

import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs hyprctl command lines in-process against a {@link FakeHypr} over gRPC's in-process transport. */
final class CliHarness implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    record Result(int code, String out, String err) {
    }

    final FakeHypr hypr = new FakeHypr();
    final Map<String, String> env = new HashMap<>();
    final String name = "hyprctl-test-" + IDS.incrementAndGet();
    final Server server;
    String stdin = "";
    Instant now = Instant.parse("2026-01-01T00:05:00Z");
    String lastSocket;

    CliHarness() throws IOException {
        server = InProcessServerBuilder.forName(name).addService(hypr).build().start();
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnv cliEnv = new CliEnv(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env,
                Clock.fixed(now, ZoneOffset.UTC), path -> {
                    lastSocket = path;
                    return new DaemonConnection(InProcessChannelBuilder.forName(name).build(), path);
                });
        int code = Main.run(cliEnv, args);
        return new Result(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
