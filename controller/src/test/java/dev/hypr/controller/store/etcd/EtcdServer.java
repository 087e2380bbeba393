package dev.hypr.controller.store.etcd;

import dev.hypr.controller.host.TestProgram;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real one-member etcd for tests: {@code etcd} on 127.0.0.1 at free ports, its data in a
 * temporary directory, ready once its /health says so; {@link #close()} kills it and removes
 * the directory.
 */
public final class EtcdServer implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final Path dataDir;
    private final Process process;
    private final int clientPort;

    private EtcdServer(Path dataDir, Process process, int clientPort) {
        this.dataDir = dataDir;
        this.process = process;
        this.clientPort = clientPort;
    }

    public static EtcdServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hypr-etcd-");
        int clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Process p = new ProcessBuilder(List.of(TestProgram.ETCD.program(),
                "--name", "test", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer, "--initial-cluster-state", "new"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        EtcdServer server = new EtcdServer(dir, p, clientPort);
        try {
            server.awaitHealthy();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Duration pause = Duration.ofMillis(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + ": " + Files.readString(dataDir.resolve("etcd.log")));
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(pause.toMillis()); // polling a condition, not a fixed wait
            pause = pause.multipliedBy(2).compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : pause.multipliedBy(2);
        }
        throw new IOException("etcd not healthy within " + READY_WITHIN + "; log: " + Files.readString(dataDir.resolve("etcd.log")));
    }

    /** http://127.0.0.1:PORT */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** What HYPR_STORE says to use this member. */
    public String storeUrl() {
        return EtcdEndpoints.SCHEME + "127.0.0.1:" + clientPort;
    }

    public Client client() {
        return Client.builder().endpoints(endpoint()).build();
    }

    /** Compacts etcd's history up to the newest revision (as an operator would with etcdctl). */
    public void compact() throws IOException, InterruptedException {
        Process status = new ProcessBuilder(TestProgram.ETCDCTL.program(), "--endpoints=" + endpoint(), "endpoint", "status", "-w", "json")
                .redirectErrorStream(true).start();
        String out = new String(status.getInputStream().readAllBytes());
        status.waitFor(1, TimeUnit.MINUTES);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"revision\":(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("etcdctl endpoint status: " + out);
        }
        Process compact = new ProcessBuilder(TestProgram.ETCDCTL.program(), "--endpoints=" + endpoint(), "compact", m.group(1))
                .redirectErrorStream(true).start();
        String compactOut = new String(compact.getInputStream().readAllBytes());
        if (!compact.waitFor(1, TimeUnit.MINUTES) || compact.exitValue() != 0) {
            throw new IOException("etcdctl compact: " + compactOut);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
