package dev.hypr.controller.net;

import dev.hypr.controller.config.HyprPaths;
import dev.hypr.api.Json;
import dev.hypr.controller.store.ObjectStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates the {@code default} Network at hyprd's first start (a marker file in HYPR_HOME
 * remembers that it did), so VMs that name no network have one; a user who deletes it later
 * is not overruled on the next start.
 */
@ApplicationScoped
public class DefaultNetwork {
    private static final Logger LOG = Logger.getLogger(DefaultNetwork.class);

    @Inject
    ObjectStore store;

    @Inject
    HyprPaths paths;

    void create(@Observes @Priority(1900) StartupEvent ev) throws IOException {
        Path marker = paths.state().resolve("default-network-created");
        if (Files.exists(marker)) {
            return;
        }
        if (store.get(dev.hypr.api.Kind.NETWORK, NetworkChoice.DEFAULT_NETWORK).isEmpty()) {
            store.apply(List.of(Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Network\",\"metadata\":{\"name\":\""
                    + NetworkChoice.DEFAULT_NETWORK + "\"},\"spec\":{\"subnet\":\"" + NetworkPlan.DEFAULT_SUBNET + "\"}}")), false);
            LOG.infof("created network/%s (%s)", NetworkChoice.DEFAULT_NETWORK, NetworkPlan.DEFAULT_SUBNET);
        }
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "");
    }
}
