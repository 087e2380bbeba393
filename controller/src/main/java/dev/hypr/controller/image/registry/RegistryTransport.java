package dev.hypr.controller.image.registry;

import dev.hypr.controller.image.ref.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One request to a registry with everything the endpoints share: scheme choice, the 401 →
 * challenge → token/basic dance (cached per repository and credentials), redirects (Authorization dropped when
 * the host changes, as blob storage such as S3 rejects it), and retries with exponential
 * back-off on I/O errors (a response that does not start within the response timeout among
 * them), 429 and 5xx.
 */
final class RegistryTransport {
    private static final int MAX_REDIRECTS = 5;
    private final Supplier<HttpClient> http;
    private final CredentialStore credentials;
    private final RegistryOptions options;
    private final TokenFetcher tokens;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    RegistryTransport(Supplier<HttpClient> http, CredentialStore credentials, RegistryOptions options) {
        this.http = http;
        this.credentials = credentials;
        this.options = options;
        this.tokens = new TokenFetcher(http, options.responseTimeout());
    }

    /** GETs {@code /v2/<repo>/<suffix>}; the caller owns (and must close) the body of what comes back. */
    HttpResponse<InputStream> get(ImageReference ref, String suffix, String accept)
            throws RegistryException, InterruptedException {
        return send(ref, "GET", uri(ref, suffix), accept == null ? Map.of() : Map.of("Accept", accept), null);
    }

    /** {@code <scheme>://<host>/v2/<repo>/<suffix>}. */
    URI uri(ImageReference ref, String suffix) {
        String host = ref.apiHost();
        return URI.create(options.scheme(host) + "://" + host + "/v2/" + ref.repository() + "/" + suffix);
    }

    /**
     * One request with the shared auth, retry and redirect handling. {@code body} (null for none)
     * is sent again when a challenge is answered. Only GET and HEAD follow redirects and are
     * retried after 429/5xx; any method is retried after an I/O error before a response.
     */
    HttpResponse<InputStream> send(ImageReference ref, String method, URI uri, Map<String, String> headers, byte[] body)
            throws RegistryException, InterruptedException {
        String host = ref.apiHost();
        boolean idempotent = method.equals("GET") || method.equals("HEAD");
        // Read on every request, and part of the cache key: after 'hyprctl logout' (or a login as
        // someone else) a token or Basic header obtained with the old credentials is not used again.
        Optional<Credentials> creds = credentials.lookup(ref.registry());
        String authKey = host + "/" + ref.repository() + creds.map(c -> " as " + c.authField()).orElse("");
        boolean challenged = false;
        IOException lastError = null;
        int lastStatus = 0;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            HttpResponse<InputStream> resp;
            try {
                resp = sendFollowingRedirects(method, uri, headers, body, authorizations.get(authKey));
            } catch (IOException e) {
                lastError = e;
                backOff(attempt);
                continue;
            }
            int status = resp.statusCode();
            if (status == 401 && !challenged) {
                closeQuietly(resp);
                challenged = true;
                authorizations.put(authKey, authorize(ref, creds, resp));
                attempt--; // answering a challenge is not a failed attempt
                continue;
            }
            if (status == 401 || status == 403) {
                closeQuietly(resp);
                throw new RegistryException(RegistryException.Failure.Unauthorized, host + " refused access to "
                        + ref.repository() + " (HTTP " + status + "); log in with 'hyprctl login " + ref.registry() + "'");
            }
            if (idempotent && (status == 429 || status >= 500)) {
                closeQuietly(resp);
                lastStatus = status;
                backOff(attempt);
                continue;
            }
            return resp;
        }
        if (lastError != null && lastStatus == 0) {
            throw new RegistryException(RegistryException.Failure.RegistryUnreachable, "registry " + host
                    + " unreachable after " + options.maxAttempts() + " attempts: " + describe(lastError), lastError);
        }
        throw new RegistryException(RegistryException.Failure.RegistryError,
                "registry " + host + " kept failing (last HTTP " + lastStatus + ") after " + options.maxAttempts() + " attempts");
    }

    private HttpResponse<InputStream> sendFollowingRedirects(String method, URI uri, Map<String, String> headers, byte[] body,
            String authorization) throws IOException, InterruptedException {
        URI current = uri;
        boolean follow = method.equals("GET") || method.equals("HEAD");
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(current).timeout(options.responseTimeout())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(req::header);
            if (authorization != null && current.getAuthority().equals(uri.getAuthority())) {
                req.header("Authorization", authorization);
            }
            HttpResponse<InputStream> resp = http.get().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            int s = resp.statusCode();
            Optional<String> location = resp.headers().firstValue("Location");
            if (follow && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && location.isPresent() && hop < MAX_REDIRECTS) {
                closeQuietly(resp);
                current = current.resolve(location.get());
                continue;
            }
            return resp;
        }
    }

    private String authorize(ImageReference ref, Optional<Credentials> creds, HttpResponse<?> challengeResponse)
            throws RegistryException, InterruptedException {
        Optional<AuthChallenge> challenge = AuthChallenge.parse(
                challengeResponse.headers().firstValue("WWW-Authenticate").orElse(null));
        if (challenge.isPresent() && challenge.get().isBearer()) {
            return "Bearer " + tokens.fetch(challenge.get(), ref.repository(), creds);
        }
        if (creds.isPresent()) {
            return creds.get().basicHeader();
        }
        throw new RegistryException(RegistryException.Failure.Unauthorized, ref.apiHost()
                + " requires authentication and no credentials are stored for " + ref.registry()
                + "; log in with 'hyprctl login " + ref.registry() + "'");
    }

    private void backOff(int attempt) throws InterruptedException {
        if (attempt < options.maxAttempts()) {
            Thread.sleep(options.initialBackoff().toMillis() << (attempt - 1));
        }
    }

    private String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no response within " + options.responseTimeout().toSeconds() + " s";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static void closeQuietly(HttpResponse<InputStream> resp) {
        try {
            resp.body().close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }
}
