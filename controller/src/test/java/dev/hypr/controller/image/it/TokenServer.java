package dev.hypr.controller.image.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The token endpoint of distribution's token auth, on 127.0.0.1, as a registry's {@code realm}:
 * answers {@code GET /token?service=..&scope=..} with an RS256 JWT whose header carries the
 * signing certificate ({@code x5c}); that self-signed certificate is the registry's
 * {@code rootcertbundle}. Keys come from the JDK's keytool at start.
 *
 * <p>Policy: {@link #USER}/{@link #PASSWORD} (Basic) may pull and push every repository;
 * anonymous callers may pull repositories under {@code public/} and get a token without access
 * to anything else (as Docker Hub does); wrong credentials get 401. A token grants only the
 * actions that were both requested and allowed. Every request is recorded. {@link #issue}
 * switches to misbehaving answers.
 */
final class TokenServer implements AutoCloseable {
    static final String USER = "hypr";
    static final String PASSWORD = "t0ken-pw";
    static final String SERVICE = "hypr-test-registry";
    static final String ISSUER = "hypr-test-token-server";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORE_PASSWORD = "changeit";

    /** What the server answers. */
    enum Issue {
        /** A valid token under {@code token} (and {@code access_token}, as Docker Hub's endpoint does). */
        VALID,
        /** A valid token under {@code access_token} only (the OAuth 2 field). */
        ACCESS_TOKEN_ONLY,
        /** A well-signed token that expired an hour ago (beyond the registry's 60 s leeway). */
        EXPIRED,
        /** A token signed by a key whose certificate is not in the registry's root bundle. */
        UNTRUSTED_KEY,
        /** Accepts the request and never answers. */
        HANG
    }

    /** One request as the server saw it; {@code user} is empty for an anonymous one. */
    record Request(String service, List<String> scopes, Optional<String> user) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-server");
        t.setDaemon(true);
        return t;
    });
    private final Signer trusted;
    private final Signer untrusted;
    private final Path rootCertBundle;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Issue issue = Issue.VALID;

    private TokenServer(Path dir) throws Exception {
        this.trusted = Signer.generate(dir, "trusted");
        this.untrusted = Signer.generate(dir, "untrusted");
        this.rootCertBundle = dir.resolve("root-certs.pem");
        Files.writeString(rootCertBundle, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(trusted.certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(executor); // a hanging answer must not block the others
    }

    static TokenServer start(Path dir) throws Exception {
        TokenServer s = new TokenServer(Files.createDirectories(dir));
        s.server.start();
        return s;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The {@code auth:} section of a registry config that trusts this server. */
    String registryAuthConfig() {
        return registryAuthConfig(realm());
    }

    /** The same with another realm: a registry that trusts this server's tokens but sends clients elsewhere for them. */
    String registryAuthConfig(String realm) {
        return String.join("\n", "auth:", "  token:", "    realm: " + realm, "    service: " + SERVICE,
                "    issuer: " + ISSUER, "    rootcertbundle: " + rootCertBundle, "");
    }

    void issue(Issue issue) {
        this.issue = issue;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
            List<String> scopes = query.getOrDefault("scope", List.of());
            String service = query.getOrDefault("service", List.of("")).get(0);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Optional<String> user = Optional.empty();
            if (authorization != null) {
                String[] basic = basicCredentials(authorization);
                if (basic == null || !basic[0].equals(USER) || !basic[1].equals(PASSWORD)) {
                    requests.add(new Request(service, scopes, Optional.of(basic == null ? "?" : basic[0])));
                    respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
                user = Optional.of(basic[0]);
            }
            requests.add(new Request(service, scopes, user));
            if (!service.equals(SERVICE)) {
                respond(exchange, 400, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"unknown service\"}]}");
                return;
            }
            Issue now = issue;
            if (now == Issue.HANG) {
                released.await(120, TimeUnit.SECONDS);
                return;
            }
            long issuedAt = Instant.now().getEpochSecond() - (now == Issue.EXPIRED ? 3600 : 0);
            String token = (now == Issue.UNTRUSTED_KEY ? untrusted : trusted)
                    .jwt(claims(user.orElse(""), grants(scopes, user.isPresent()), issuedAt));
            ObjectNode body = JSON.createObjectNode();
            if (now != Issue.ACCESS_TOKEN_ONLY) {
                body.put("token", token);
            }
            body.put("access_token", token).put("expires_in", 300).put("issued_at", Instant.ofEpochSecond(issuedAt).toString());
            respond(exchange, 200, JSON.writeValueAsString(body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            respond(exchange, 500, "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"" + e + "\"}]}");
        }
    }

    /** The actions each requested scope may have: requested ∩ allowed, resources left out when nothing is. */
    private static ArrayNode grants(List<String> scopes, boolean authenticated) {
        ArrayNode access = JSON.createArrayNode();
        for (String scope : scopes) {
            for (String one : scope.split(" ")) {
                int first = one.indexOf(':');
                int last = one.lastIndexOf(':');
                if (first < 0 || first == last || !one.substring(0, first).equals("repository")) {
                    continue;
                }
                String name = one.substring(first + 1, last);
                Set<String> allowed = authenticated ? Set.of("pull", "push") : name.startsWith("public/") ? Set.of("pull") : Set.of();
                Set<String> actions = new LinkedHashSet<>();
                for (String action : one.substring(last + 1).split(",")) {
                    if (allowed.contains(action)) {
                        actions.add(action);
                    }
                }
                if (!actions.isEmpty()) {
                    ObjectNode entry = access.addObject().put("type", "repository").put("name", name);
                    actions.forEach(entry.putArray("actions")::add);
                }
            }
        }
        return access;
    }

    private static ObjectNode claims(String subject, ArrayNode access, long issuedAt) {
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                .put("exp", issuedAt + 300).put("nbf", issuedAt - 10).put("iat", issuedAt).put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        return claims;
    }

    private static String[] basicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Stops answering: later requests are refused (connection refused), hanging ones end. */
    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** An RSA key and its self-signed certificate, made by keytool; signs compact JWS (RS256) with the certificate in x5c. */
    private record Signer(PrivateKey key, X509Certificate certificate) {
        static Signer generate(Path dir, String name) throws Exception {
            Path keystore = dir.resolve(name + ".p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                    "-sigalg", "SHA256withRSA", "-dname", "CN=hypr test token signer " + name, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                    "-keypass", STORE_PASSWORD).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "keytool failed: " + out);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, STORE_PASSWORD.toCharArray());
            }
            return new Signer((PrivateKey) ks.getKey(name, STORE_PASSWORD.toCharArray()), (X509Certificate) ks.getCertificate(name));
        }

        String jwt(ObjectNode claims) throws Exception {
            ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + url.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(rs256.sign());
        }
    }
}
