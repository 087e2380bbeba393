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
    /** stdout of the command running now, for tests that await output of a command that has not ended. */
    private volatile StringWriter currentOut;

    CliHarness() throws IOException {
        server = InProcessServerBuilder.forName(name).addService(hypr).build().start();
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        currentOut = out;
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

    /** What the running command printed so far (StringWriter is synchronized). */
    String outputSoFar() {
        StringWriter w = currentOut;
        return w == null ? "" : w.toString();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
