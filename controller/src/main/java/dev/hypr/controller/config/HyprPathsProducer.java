package dev.hypr.controller.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link HyprPaths} as a bean, from the paths {@code HyprdMain} (or the test profile) put in the config. */
@ApplicationScoped
public class HyprPathsProducer {
    @Produces
    @Singleton
    HyprPaths paths(@ConfigProperty(name = "hypr.home") String home, @ConfigProperty(name = "hypr.socket") String socket) {
        return new HyprPaths(Path.of(home).toAbsolutePath(), Path.of(socket).toAbsolutePath());
    }
}
