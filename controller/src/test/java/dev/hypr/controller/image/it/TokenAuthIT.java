package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ImagePusher;
import dev.hypr.controller.image.ImageStore;
import dev.hypr.controller.image.PullProgress;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.AuthChallenge;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryException;
import dev.hypr.controller.image.registry.RegistryOptions;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer-token auth end to end, the flow Docker Hub, GHCR and Harbor use: Debian's
 * docker-registry (distribution 2.8) with {@code auth: token} trusts only JWTs signed by the
 * test's {@link TokenServer}; hypr gets a 401 with a Bearer challenge, asks the server's realm
 * for a token (anonymously or with stored credentials) and retries with it. Images are pushed
 * by skopeo through the same token flow, and by hypr's own pusher (cross-repository mount, existence
 * check, chunked upload, all with Bearer tokens).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TokenAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLIC_PULL = "repository:public/img:pull";
    private static final String PRIVATE_PULL = "repository:private/img:pull";
    @TempDir
    static Path dir;
    static TokenServer tokens;
    static LocalRegistry registry;
    static ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void up() throws Exception {
        tokens = TokenServer.start(dir.resolve("tokens"));
        registry = LocalRegistry.withTokenAuth(Files.createDirectories(dir.resolve("registry")), tokens.registryAuthConfig()).start();
        TestImages.pushLayered(Files.createDirectories(dir.resolve("build")), registry, "public/img:v1", "amd64");
        String creds = TokenServer.USER + ":" + TokenServer.PASSWORD;
        TestImages.sh(dir, "skopeo copy -q --src-tls-verify=false --dest-tls-verify=false --src-creds " + creds + " --dest-creds "
                + creds + " docker://" + registry.host() + "/public/img:v1 docker://" + registry.host() + "/private/img:v1");
        assertTrue(tokens.requests().stream().anyMatch(r -> r.user().equals(Optional.of(TokenServer.USER))
                && r.scopes().stream().anyMatch(s -> s.contains("repository:private/img:") && s.contains("push"))),
                "skopeo pushed through the token server: " + tokens.requests());
    }

    @AfterEach
    void behave() {
        tokens.issue(TokenServer.Issue.VALID);
    }

    @AfterAll
    static void down() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
        pool.shutdownNow();
    }

    private static ImageReference ref(String repository) {
        return ImageReference.parse(refString(repository));
    }

    private static String refString(String repository) {
        return registry.host() + "/" + repository + ":v1";
    }

    /** A daemon home and a user home of its own, so the real ~/.docker/config.json is never read. */
    private static CredentialStore credentials(String name) throws Exception {
        return CredentialStore.standard(Files.createDirectories(dir.resolve(name + "/hypr")),
                Files.createDirectories(dir.resolve(name + "/user")));
    }

    private static PulledImage pull(String home, String repository) throws Exception {
        ImageStore store = new ImageStore(dir.resolve(home + "/hypr/images"));
        return StoreChecks.puller(store, credentials(home), pool).pull(ref(repository), Platform.DEFAULT, PullProgress.NONE);
    }

    private static TokenServer.Request anonymous(String scope) {
        return new TokenServer.Request(TokenServer.SERVICE, List.of(scope), Optional.empty());
    }

    @Test
    void anonymousPullOfAPublicRepositoryGoesThroughTheTokenServer() throws Exception {
        // The registry really is in token mode: no token, no manifest, and the challenge names the realm.
        HttpResponse<Void> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.host() + "/v2/public/img/manifests/v1")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(401, bare.statusCode());
        AuthChallenge challenge = AuthChallenge.parse(bare.headers().firstValue("WWW-Authenticate").orElse(null)).orElseThrow();
        assertTrue(challenge.isBearer(), challenge.toString());
        assertEquals(tokens.realm(), challenge.param("realm"));
        assertEquals(TokenServer.SERVICE, challenge.param("service"));
        assertEquals(PUBLIC_PULL, challenge.param("scope"));

        tokens.clearRequests();
        assertPulled(pull("anonymous", "public/img"));
        // One token, asked for with exactly the challenge's scope and service, reused for the manifest and every blob.
        assertEquals(List.of(anonymous(PUBLIC_PULL)), tokens.requests());

        // A token endpoint that answers in OAuth 2's field (access_token) only works as well.
        tokens.clearRequests();
        tokens.issue(TokenServer.Issue.ACCESS_TOKEN_ONLY);
        assertPulled(pull("oauth", "public/img"));
        assertEquals(List.of(anonymous(PUBLIC_PULL)), tokens.requests());
    }

    @Test
    void privateRepositoryIsUnauthorizedOnTheImageUntilHyprctlLoginAndAgainAfterLogout() throws Exception {
        String ref = refString("private/img");
        tokens.clearRequests();
        try (HyprdProcess hyprd = HyprdProcess.start(dir.resolve("hyprd-home"))) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), dir);
            String image = String.join("\n", "apiVersion: hypr.dev/v1alpha1", "kind: Image", "metadata:", "  name: secret", "spec:",
                    "  ref: " + ref, "");
            Hyprctl.Run applied = hyprctl.runWithInput(image.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
            assertEquals(0, applied.exitCode(), applied.toString());

            // Anonymous: the token server hands out a token without access to private/, the registry refuses it.
            JsonNode ready = awaitReady(hyprctl, "secret", c -> c.path("reason").asText().equals("Unauthorized"));
            assertEquals("False", ready.path("status").asText(), ready.toString());
            String message = ready.path("message").asText();
            assertTrue(message.contains("refused access to private/img") && message.contains("hyprctl login " + registry.host()), message);
            assertTrue(tokens.requests().contains(anonymous(PRIVATE_PULL)), tokens.requests().toString());

            Hyprctl.Run login = hyprctl.runWithInput((TokenServer.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8), "login",
                    registry.host(), "-u", TokenServer.USER, "--password-stdin");
            assertEquals(0, login.exitCode(), login.toString());
            // The controller retries with back-off (0.5 s doubling): the next try has the credentials.
            Hyprctl.Run pulled = hyprctl.run("wait", "image/secret", "--for=condition=Ready", "--timeout=100s");
            assertEquals(0, pulled.exitCode(), pulled.toString() + "\n" + tokens.requests());
            JsonNode status = JSON.readTree(hyprctl.run("get", "image", "secret", "-o", "json").stdout()).path("status");
            assertTrue(Files.isRegularFile(Path.of(status.path("rootfs").asText())), status.toString());
            assertEquals(2, status.path("layers").size(), status.toString());

            // The daemon sent the stored credentials as Basic to the realm, for the challenge's scope and service, and
            // never asked for more than pull.
            assertTrue(tokens.requests().contains(new TokenServer.Request(TokenServer.SERVICE, List.of(PRIVATE_PULL),
                    Optional.of(TokenServer.USER))), tokens.requests().toString());
            assertTrue(tokens.requests().stream().allMatch(r -> r.scopes().equals(List.of(PRIVATE_PULL))
                    && r.service().equals(TokenServer.SERVICE)), tokens.requests().toString());
            assertEquals(0, hyprctl.run("delete", "image", "secret", "--wait").exitCode());

            // Logged out, the daemon's cached token (valid for minutes yet) is not used: the pull is anonymous again.
            Hyprctl.Run logout = hyprctl.run("logout", registry.host());
            assertEquals(0, logout.exitCode(), logout.toString());
            Hyprctl.Run denied = hyprctl.run("images", "pull", ref, "--progress", "plain");
            assertEquals(1, denied.exitCode(), denied.toString());
            assertTrue(denied.stderr().contains("failed: Unauthorized: "), denied.stderr());
        }
    }

    @Test
    void wrongPasswordIsRefusedByTheTokenEndpoint() throws Exception {
        String home = "wrong-password";
        CredentialStore.save(Files.createDirectories(dir.resolve(home + "/user/.docker")).resolve("config.json"), registry.host(),
                new Credentials(TokenServer.USER, "not-the-password"));
        RegistryException e = assertThrows(RegistryException.class, () -> pull(home, "private/img"));
        assertEquals(RegistryException.Failure.Unauthorized, e.failure());
        assertTrue(e.getMessage().contains("token endpoint " + tokens.realm() + " refused the stored credentials (HTTP 401)"),
                e.getMessage());
        ImageStore store = new ImageStore(dir.resolve(home + "/hypr/images"));
        assertEquals(List.of(), StoreChecks.list(StoreChecks.blobsDir(store)), "blobs stored by a refused pull");
        StoreChecks.assertTempEmpty(store);
    }

    @Test
    void expiredOrForeignTokensAreUnauthorizedAfterOneTokenRequest() throws Exception {
        for (TokenServer.Issue issue : List.of(TokenServer.Issue.EXPIRED, TokenServer.Issue.UNTRUSTED_KEY)) {
            tokens.issue(issue);
            tokens.clearRequests();
            RegistryClient client = new RegistryClient(credentials("bad-" + issue), RegistryOptions.defaults());
            RegistryException e = assertThrows(RegistryException.class, () -> client.manifest(ref("public/img"), Platform.DEFAULT));
            assertEquals(RegistryException.Failure.Unauthorized, e.failure(), issue + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("refused access to public/img (HTTP 401)"), issue + ": " + e.getMessage());
            assertEquals(List.of(anonymous(PUBLIC_PULL)), tokens.requests(), issue + ": one token request, no loop");
        }
    }

    @Test
    void tokenEndpointHangingOrDownIsRegistryUnreachableNotAHang() throws Exception {
        RegistryOptions quick = new RegistryOptions(Set.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(2));

        tokens.issue(TokenServer.Issue.HANG);
        long start = System.nanoTime();
        RegistryException hung = assertThrows(RegistryException.class,
                () -> new RegistryClient(credentials("hang"), quick).manifest(ref("public/img"), Platform.DEFAULT));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertEquals(RegistryException.Failure.RegistryUnreachable, hung.failure(), hung.getMessage());
        assertEquals("token endpoint " + tokens.realm() + " did not answer within 2 s", hung.getMessage());
        assertTrue(seconds < 15, "gave up after " + seconds + " s");

        // A registry whose realm nobody listens on.
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String realm = "http://127.0.0.1:" + closed + "/token";
        try (LocalRegistry orphan = LocalRegistry.withTokenAuth(Files.createDirectories(dir.resolve("orphan")),
                tokens.registryAuthConfig(realm)).start()) {
            RegistryException down = assertThrows(RegistryException.class, () -> new RegistryClient(credentials("down"), quick)
                    .manifest(ImageReference.parse(orphan.host() + "/public/img:v1"), Platform.DEFAULT));
            assertEquals(RegistryException.Failure.RegistryUnreachable, down.failure(), down.getMessage());
            assertTrue(down.getMessage().startsWith("token endpoint " + realm + " unreachable: "), down.getMessage());
        }
    }

    /** Each blob's states as ImagePusher reports them. */
    private static final class PushStates implements dev.hypr.controller.image.registry.PushListener {
        final java.util.Map<dev.hypr.controller.image.ref.Digest, String> last = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void blob(dev.hypr.controller.image.ref.Digest digest, long size, String state, long bytesDone) {
            last.put(digest, state);
            all.add(digest.shortHex() + " " + state + " " + bytesDone + "/" + size);
        }
    }

    @Test
    void pushWithBearerTokensMountsAcrossRepositoriesSkipsExistingBlobsAndUploadsInChunks() throws Exception {
        CredentialStore creds = credentials("pusher");
        ImageStore store = new ImageStore(dir.resolve("pusher/hypr/images"));
        RegistryClient client = new RegistryClient(creds, new RegistryOptions(Set.of(), 2, Duration.ofMillis(50), Duration.ofSeconds(2)));
        ImagePusher pusher = new ImagePusher(client, store);
        PulledImage img = StoreChecks.puller(store, creds, pool).pull(ref("public/img"), Platform.DEFAULT, PullProgress.NONE);

        // anonymous callers get tokens without push: refused, as Unauthorized
        RegistryException refused = assertThrows(RegistryException.class,
                () -> pusher.push(img.digest(), ref("team/img"), Platform.DEFAULT, new PushStates()));
        assertEquals(RegistryException.Failure.Unauthorized, refused.failure(), refused.getMessage());

        // with credentials (as hyprctl login stores them): the blobs are mounted from public/img, whose pull
        // scope rides on the same token request as the target's push scope
        CredentialStore.save(dir.resolve("pusher/hypr/auth.json"), registry.host(), new Credentials(TokenServer.USER, TokenServer.PASSWORD));
        tokens.clearRequests();
        PushStates mount = new PushStates();
        assertEquals(img.digest(), pusher.push(img.digest(), ref("team/img"), Platform.DEFAULT, mount));
        assertEquals(3, mount.last.size(), mount.all.toString());
        mount.last.values().forEach(st -> assertEquals("Mounted from public/img", st, mount.all.toString()));
        assertTrue(tokens.requests().stream().anyMatch(r -> r.user().equals(Optional.of(TokenServer.USER))
                && String.join(" ", r.scopes()).contains("repository:team/img:pull,push")
                && String.join(" ", r.scopes()).contains("repository:public/img:pull")),
                "one token for the push and the mount source: " + tokens.requests());

        // pushed again: every blob's existence check (HEAD) answers, nothing is sent
        PushStates again = new PushStates();
        pusher.push(img.digest(), ref("team/img"), Platform.DEFAULT, again);
        again.last.values().forEach(st -> assertEquals("Layer already exists", st, again.all.toString()));

        // an image from another registry cannot be mounted: uploaded in chunks (20 MiB, chunks of at most 8 MiB)
        try (LocalRegistry open = new LocalRegistry(Files.createDirectories(dir.resolve("open"))).start()) {
            String sha = TestImages.pushLarge(Files.createDirectories(dir.resolve("big")), open, "src/big:v1", 20L << 20);
            PulledImage big = StoreChecks.puller(store, creds, pool)
                    .pull(ImageReference.parse(open.host() + "/src/big:v1"), Platform.DEFAULT, PullProgress.NONE);
            PushStates upload = new PushStates();
            dev.hypr.controller.image.ref.Digest pushed = pusher.push(big.digest(), ref("team/big"), Platform.DEFAULT, upload);
            upload.last.values().forEach(st -> assertEquals("Pushed", st, upload.all.toString()));
            assertTrue(upload.all.stream().filter(st -> st.contains(" Uploading ")).count() >= 3, upload.all.toString());

            // and a clean store pulls it back by digest through the token server
            ImageStore clean = new ImageStore(dir.resolve("puller/hypr/images"));
            CredentialStore creds2 = credentials("puller");
            CredentialStore.save(dir.resolve("puller/hypr/auth.json"), registry.host(),
                    new Credentials(TokenServer.USER, TokenServer.PASSWORD));
            PulledImage back = StoreChecks.puller(clean, creds2, pool).pull(
                    ImageReference.parse(registry.host() + "/team/big@" + pushed), Platform.DEFAULT, PullProgress.NONE);
            assertEquals(big.digest(), back.digest());
            assertEquals(sha, ImagePullIT.run("bash", "-c", "unsquashfs -cat " + back.rootfs() + " big.bin | sha256sum | cut -d' ' -f1")
                    .strip());
        }
    }

    private static JsonNode awaitReady(Hyprctl hyprctl, String image, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode c : JSON.readTree(hyprctl.run("get", "image", image, "-o", "json").stdout()).path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    last = c;
                    if (done.test(c)) {
                        return c;
                    }
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("image/" + image + " Ready condition never matched; last: " + last);
    }

    private static void assertPulled(PulledImage img) throws Exception {
        assertEquals(2, img.layers().size());
        assertEquals("upper\n", ImagePullIT.run("unsquashfs", "-cat", img.rootfs().toString(), "etc/upper"));
    }

}
