package dev.hypr.controller.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The token endpoint of the Docker token-auth spec: trades an optional username/password for a
 * short-lived bearer token scoped to one repository (the {@code realm} of a Bearer challenge).
 */
final class TokenFetcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<HttpClient> http;
    private final Duration timeout;

    TokenFetcher(Supplier<HttpClient> http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    String fetch(AuthChallenge challenge, String repository, Optional<Credentials> credentials)
            throws RegistryException, InterruptedException {
        String realm = challenge.param("realm");
        if (realm == null) {
            throw new RegistryException(RegistryException.Failure.Unauthorized, "Bearer challenge without realm");
        }
        String scope = challenge.param("scope") != null ? challenge.param("scope") : "repository:" + repository + ":pull";
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?')
                .append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        if (challenge.param("service") != null) {
            url.append("&service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString())).GET().timeout(timeout);
        credentials.ifPresent(c -> req.header("Authorization", c.basicHeader()));
        HttpResponse<byte[]> resp;
        try {
            resp = http.get().send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RegistryException(RegistryException.Failure.RegistryUnreachable,
                    "token endpoint " + realm + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(); // ConnectException has none
            throw new RegistryException(RegistryException.Failure.RegistryUnreachable,
                    "token endpoint " + realm + " unreachable: " + why, e);
        }
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw new RegistryException(RegistryException.Failure.Unauthorized, "token endpoint " + realm + " refused "
                    + (credentials.isPresent() ? "the stored credentials" : "anonymous access") + " (HTTP " + resp.statusCode() + ")");
        }
        if (resp.statusCode() != 200) {
            throw new RegistryException(RegistryException.Failure.RegistryError,
                    "token endpoint " + realm + " answered HTTP " + resp.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(resp.body());
            String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
            if (token == null || token.isEmpty()) {
                throw new RegistryException(RegistryException.Failure.Unauthorized, "token endpoint returned no token");
            }
            return token;
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Failure.RegistryError, "token endpoint returned invalid JSON", e);
        }
    }
}
