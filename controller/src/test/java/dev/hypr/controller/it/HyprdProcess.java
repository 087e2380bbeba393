package dev.hypr.controller.it;

import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real hyprd, started through bin/hyprd on a temporary HYPR_HOME, socket and ports,
 * as users start it. Survives kill -9 and restart on the same home.
 */
public final class HyprdProcess implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize();

    private final Path home;
    private final Path socket;
    private final int restPort;
    private final int metricsPort;
    private final List<String> commandPrefix;
    private final Map<String, String> extraEnvironment;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
    private Process process;

    private HyprdProcess(Path home, List<String> commandPrefix, Map<String, String> extraEnvironment) throws IOException {
        this.home = home;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        this.socket = home.resolve("hypr.sock");
        this.restPort = freePort();
        this.metricsPort = freePort();
    }

    public static HyprdProcess start(Path home) throws Exception {
        return start(home, List.of());
    }

    /**
     * commandPrefix runs hyprd through another program, e.g. {@code ip netns exec NS}: its
     * socket and home stay on the host filesystem, its network is the namespace's.
     */
    public static HyprdProcess start(Path home, List<String> commandPrefix) throws Exception {
        return start(home, commandPrefix, Map.of());
    }

    /** extraEnvironment: e.g. HYPR_CONTROLLERS_ENABLED=false for tests of the API alone. */
    public static HyprdProcess start(Path home, List<String> commandPrefix, Map<String, String> extraEnvironment) throws Exception {
        HyprdProcess p = new HyprdProcess(home, commandPrefix, extraEnvironment);
        p.launch();
        return p;
    }

    public static Path root() {
        return ROOT;
    }

    public Path home() {
        return home;
    }

    public Path socket() {
        return socket;
    }

    public int restPort() {
        return restPort;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** The REST bearer token this hyprd wrote at start (read as root, as a REST client must be able to). */
    public String restToken() throws IOException {
        return Files.readString(home.resolve("rest-token")).strip();
    }

    /** GET on the REST port with the token and a loopback Host. */
    public java.net.http.HttpResponse<String> restGet(String path) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + restPort + path))
                .header("Authorization", "Bearer " + restToken()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    public Process process() {
        return process;
    }

    /** The variables a client (hyprctl) needs to reach this daemon. */
    public Map<String, String> clientEnvironment() {
        return Map.of("HYPR_SOCKET", socket.toString());
    }

    public void launch() throws Exception {
        List<String> cmd = new ArrayList<>(commandPrefix);
        cmd.add(ROOT.resolve("bin/hyprd").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HYPR_HOME", home.toString());
        pb.environment().put("HYPR_SOCKET", socket.toString());
        pb.environment().put("HYPR_REST_PORT", Integer.toString(restPort));
        pb.environment().put("HYPR_METRICS_PORT", Integer.toString(metricsPort));
        pb.environment().putAll(extraEnvironment);
        Files.createDirectories(home);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("hyprd.out").toFile()));
        process = pb.start();
        try {
            awaitHealthy(Duration.ofSeconds(90));
        } catch (Exception | AssertionError e) {
            process.destroyForcibly(); // a daemon that never became healthy must not outlive the test
            throw e;
        }
    }

    public HyprGrpc.HyprBlockingStub client() {
        ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(loop)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        channels.add(ch);
        return HyprGrpc.newBlockingStub(ch);
    }

    public HyprGrpc.HyprStub asyncClient() {
        client();
        return HyprGrpc.newStub(channels.get(channels.size() - 1));
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    public String output() throws IOException {
        Path out = home.resolve("hyprd.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("hyprd exited with " + process.exitValue() + ":\n" + output());
            }
            if (Files.exists(socket)) {
                try {
                    client().withDeadlineAfter(2, TimeUnit.SECONDS).health(HealthRequest.getDefaultInstance());
                    return;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("hyprd not healthy within " + timeout + ": " + last + "\n" + output());
    }

    @Override
    public void close() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        if (process != null && process.isAlive()) {
            stop();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The object as stored now, or empty when there is none. */
    public java.util.Optional<com.fasterxml.jackson.databind.JsonNode> object(String kind, String name) {
        try {
            return java.util.Optional.of(dev.hypr.api.Json.parseObject(client().get(
                    dev.hypr.api.grpc.GetRequest.newBuilder().setKind(kind).setName(name).build()).getJson()));
        } catch (io.grpc.StatusRuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Polls the object until {@code done} holds; fails with the last state seen after {@code timeout}. */
    public com.fasterxml.jackson.databind.JsonNode await(String kind, String name,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Optional<com.fasterxml.jackson.databind.JsonNode> last = java.util.Optional.empty();
        while (System.nanoTime() < deadline) {
            last = object(kind, name);
            if (last.isPresent() && done.test(last.get())) {
                return last.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(kind.toLowerCase(java.util.Locale.ROOT) + "/" + name + " not as expected within " + timeout + ": "
                + last.map(Object::toString).orElse("absent"));
    }
}
