package dev.hypr.controller.image.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * How the client talks to registries. Plain HTTP is used only for loopback hosts and for hosts
 * the user listed in {@code hypr.registry.insecure}; everything else is HTTPS.
 * {@code responseTimeout} bounds the wait for a registry's status line and headers (a blob's
 * body may then stream for as long as it takes) and for a token endpoint's whole answer, so a
 * server that accepts the connection and never answers fails the pull instead of hanging it.
 */
public record RegistryOptions(Set<String> insecureRegistries, int maxAttempts, Duration initialBackoff,
        Duration connectTimeout, Duration responseTimeout) {
    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    public RegistryOptions(Set<String> insecureRegistries, int maxAttempts, Duration initialBackoff, Duration connectTimeout) {
        this(insecureRegistries, maxAttempts, initialBackoff, connectTimeout, DEFAULT_RESPONSE_TIMEOUT);
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), 4, Duration.ofMillis(250), Duration.ofSeconds(10), DEFAULT_RESPONSE_TIMEOUT);
    }

    public RegistryOptions withInsecure(Set<String> hosts) {
        return new RegistryOptions(Set.copyOf(hosts), maxAttempts, initialBackoff, connectTimeout, responseTimeout);
    }

    public String scheme(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String bare = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
        boolean loopback = bare.equals("localhost") || bare.equals("127.0.0.1") || bare.equals("[::1]");
        return loopback || insecureRegistries.contains(h) || insecureRegistries.contains(bare) ? "http" : "https";
    }
}
