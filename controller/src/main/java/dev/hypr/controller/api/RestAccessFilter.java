package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Set;

/**
 * The REST port's boundary, in front of every route: the Host must name the loopback (a page
 * in a browser that rebinds its DNS name to 127.0.0.1 still sends its own name), and the caller
 * must present the bearer token from {@code $HYPR_HOME/rest-token}. Nothing is served without
 * both, not even a 404.
 */
@ApplicationScoped
public class RestAccessFilter {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    void register(@Observes Filters filters, RestToken token) {
        filters.register(rc -> check(rc, token), 1000);
    }

    private static void check(RoutingContext rc, RestToken token) {
        String host = hostOf(rc);
        if (!isLoopbackHost(host)) {
            deny(rc, 421, "Misdirected", "the Host header must name the loopback (localhost, 127.0.0.1 or [::1]), got "
                    + (host == null ? "none" : "\"" + host + "\""));
            return;
        }
        if (!token.accepts(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"hyprd\"");
            deny(rc, 401, "Unauthorized", "send the token from " + token.file() + " as \"Authorization: Bearer TOKEN\"");
            return;
        }
        rc.next();
    }

    /** The Host header, or HTTP/2's :authority (a client that upgraded to h2c sends no Host). */
    private static String hostOf(RoutingContext rc) {
        String host = rc.request().getHeader(HttpHeaders.HOST);
        if (host != null) {
            return host;
        }
        HostAndPort authority = rc.request().authority();
        if (authority == null) {
            return null;
        }
        String h = authority.host().contains(":") && !authority.host().startsWith("[") ? "[" + authority.host() + "]" : authority.host();
        return authority.port() >= 0 ? h + ":" + authority.port() : h;
    }

    /** {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with or without a port. */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && colon > h.lastIndexOf(']')) {
            String port = h.substring(colon + 1);
            if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
                return false;
            }
            h = h.substring(0, colon);
        }
        return LOOPBACK_HOSTS.contains(h);
    }

    private static void deny(RoutingContext rc, int code, String reason, String message) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("apiVersion", "v1");
        s.put("kind", "Status");
        s.put("status", "Failure");
        s.put("reason", reason);
        s.put("message", message);
        s.put("code", code);
        rc.response().setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Json.write(s));
    }
}
