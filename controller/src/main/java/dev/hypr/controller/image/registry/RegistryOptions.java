package dev.hypr.controller.image.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * How the client talks to registries. Plain HTTP is used only for loopback hosts and for hosts
 * the user listed in {@code hypr.registry.insecure}; everything else is HTTPS.
 */
public record RegistryOptions(Set<String> insecureRegistries, int maxAttempts, Duration initialBackoff,
        Duration connectTimeout) {

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), 4, Duration.ofMillis(250), Duration.ofSeconds(10));
    }

    public RegistryOptions withInsecure(Set<String> hosts) {
        return new RegistryOptions(Set.copyOf(hosts), maxAttempts, initialBackoff, connectTimeout);
    }

    public String scheme(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String bare = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
        boolean loopback = bare.equals("localhost") || bare.equals("127.0.0.1") || bare.equals("[::1]");
        return loopback || insecureRegistries.contains(h) || insecureRegistries.contains(bare) ? "http" : "https";
    }
}
