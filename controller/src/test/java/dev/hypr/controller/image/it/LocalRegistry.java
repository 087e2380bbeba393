package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution v2) on 127.0.0.1 with filesystem storage in a temp
 * dir, optionally behind htpasswd (Basic) auth or distribution's token (Bearer) auth.
 * {@link #stop()}/{@link #kill()} and {@link #start()} keep the storage, to simulate an outage.
 */
final class LocalRegistry implements AutoCloseable {
    static final String BINARY = "/usr/bin/docker-registry";
    final Path storage;
    final int port;
    private final Path config;
    /** {@code user:password} that may push (checked by htpasswd or by the token server), or null for anonymous access. */
    private final String credentials;
    private Process process;

    LocalRegistry(Path dir) throws IOException {
        this(dir, null, null);
    }

    /** A registry that answers 401 unless the request carries Basic {@code user:password}. */
    static LocalRegistry withBasicAuth(Path dir, String user, String password) throws Exception {
        requireTools("htpasswd");
        Path htpasswd = dir.resolve("htpasswd");
        Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectOutput(htpasswd.toFile()).start();
        assertTrue(p.waitFor() == 0 && Files.size(htpasswd) > 0, "htpasswd failed");
        return new LocalRegistry(dir, user + ":" + password, String.join("\n", "auth:", "  htpasswd:",
                "    realm: hypr-test", "    path: " + htpasswd, ""));
    }

    /**
     * A registry with distribution's token auth ({@link TokenServer#registryAuthConfig()}): a
     * request without a token the server signed, for this registry ({@code aud}) and covering the
     * access it needs, is answered 401 with a Bearer challenge naming the server's realm.
     */
    static LocalRegistry withTokenAuth(Path dir, String tokenAuthConfig) throws IOException {
        return new LocalRegistry(dir, TokenServer.USER + ":" + TokenServer.PASSWORD, tokenAuthConfig);
    }

    private LocalRegistry(Path dir, String credentials, String authConfig) throws IOException {
        requireTools("docker-registry", "skopeo", "umoci", "tar2sqfs", "unsquashfs");
        this.credentials = credentials;
        this.storage = Files.createDirectories(dir.resolve("storage"));
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.config = dir.resolve("registry.yml");
        Files.writeString(config, String.join("\n", "version: 0.1", "log:", "  level: error", "  accesslog:", "    disabled: true",
                "storage:", "  filesystem:", "    rootdirectory: " + storage, "  delete:", "    enabled: true",
                "http:", "  addr: 127.0.0.1:" + port, "") + (authConfig == null ? "" : authConfig));
    }

    static void requireTools(String... tools) {
        for (String t : tools) {
            boolean found = List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/").stream().anyMatch(d -> Files.isExecutable(Path.of(d + t)));
            assertTrue(found, t + " is missing: run scripts/install-deps.sh (it installs docker-registry, skopeo, umoci, squashfs-tools, squashfs-tools-ng)");
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** skopeo's flags to push here: plain HTTP, and the credentials when auth is on. */
    String skopeoDestFlags() {
        return "--dest-tls-verify=false" + (credentials == null ? "" : " --dest-creds " + credentials);
    }

    LocalRegistry start() throws Exception {
        process = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(config.resolveSibling("registry.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || (status == 401 && credentials != null)) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("docker-registry did not come up on " + host() + "; see " + config.resolveSibling("registry.log"));
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** SIGKILL: the registry dies at once, cutting any transfer in flight. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** The registry's own copy of a blob (to corrupt it). */
    Path blobData(String hex) {
        return storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
