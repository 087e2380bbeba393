package dev.hypr.controller.store.etcd;

import io.etcd.jetcd.Client;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This hyprd's etcd client when {@code HYPR_STORE=etcd://...} (config {@code hypr.store}); empty
 * for the default SQLite store. One client (one gRPC channel) serves the store, the event log and
 * the node's lease. Keys live under {@code hypr.store.etcd-prefix} (default /hypr), so clusters
 * could share one etcd.
 */
@Singleton
public class EtcdConnection {
    private final Optional<Client> client;
    private final String prefix;
    private final String url;

    public EtcdConnection(@ConfigProperty(name = "hypr.store") Optional<String> store,
            @ConfigProperty(name = "hypr.store.etcd-prefix", defaultValue = "/hypr") String prefix) {
        this.url = store.filter(s -> !s.isBlank() && !s.equals("sqlite")).orElse(null);
        this.client = Optional.ofNullable(url).map(u -> Client.builder().endpoints(EtcdEndpoints.parse(u).toArray(String[]::new)).build());
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public Optional<Client> client() {
        return client;
    }

    /** Where objects live: PREFIX/objects/. */
    public String objectsPrefix() {
        return prefix + "/objects/";
    }

    public String eventsPrefix() {
        return prefix + "/events/";
    }

    /** Node heartbeats (lease-bound keys): PREFIX/leases/NODE. */
    public String leasesPrefix() {
        return prefix + "/leases/";
    }

    /** The etcd election whose leader schedules VMs: PREFIX/scheduler. */
    public String schedulerElection() {
        return prefix + "/scheduler";
    }

    /** For logs: the HYPR_STORE value, or "sqlite". */
    public String describe() {
        return url == null ? "sqlite" : url;
    }

    @PreDestroy
    void close() {
        client.ifPresent(Client::close);
    }
}
