package dev.hypr.controller.store;

import dev.hypr.controller.events.EventLog;
import dev.hypr.controller.store.etcd.EtcdConnection;
import dev.hypr.controller.store.etcd.EtcdEventLog;
import dev.hypr.controller.store.etcd.EtcdObjectStore;
import dev.hypr.controller.store.sqlite.HibernatePersistence;
import dev.hypr.controller.store.sqlite.SchemaMigrator;
import dev.hypr.controller.store.sqlite.SqliteEventLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the one store of this daemon: SQLite via Hibernate, cached in memory (the default), or
 * etcd shared with other hyprd when {@code HYPR_STORE=etcd://host:port,...}.
 */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @Singleton
    ObjectStore objectStore(AgroalDataSource dataSource, EntityManager em, EtcdConnection etcd,
            @ConfigProperty(name = "hypr.store.retained-changes", defaultValue = "10000") int retainedChanges,
            @ConfigProperty(name = "hypr.store.max-objects") long maxObjects,
            @ConfigProperty(name = "hypr.store.max-bytes") MemorySize maxBytes) {
        StoreLimits limits = new StoreLimits(maxObjects, maxBytes.asLongValue());
        if (etcd.client().isPresent()) {
            EtcdObjectStore store = new EtcdObjectStore(etcd.client().get(), etcd.objectsPrefix(), Clock.systemUTC(), limits, retainedChanges);
            LOG.infof("store: etcd at %s, %d objects at revision %d", etcd.describe(), store.usage().objects(), store.revision());
            return store;
        }
        SchemaMigrator.migrate(dataSource);
        CachedObjectStore store = new CachedObjectStore(new HibernatePersistence(em, retainedChanges), Clock.systemUTC(), limits);
        StoreUsage usage = store.usage();
        if (usage.objects() > limits.maxObjects() || usage.bytes() > limits.maxBytes()) {
            LOG.warnf("the store holds %d objects, %s: over its limits (%d objects, %s); applies that grow it are refused",
                    usage.objects(), StoreUsage.mib(usage.bytes()), limits.maxObjects(), StoreUsage.mib(limits.maxBytes()));
        } else {
            LOG.debugf("store: %d objects, %s of %s", usage.objects(), StoreUsage.mib(usage.bytes()), StoreUsage.mib(limits.maxBytes()));
        }
        return store;
    }

    /** Events in the same file: kept across restarts, bounded by the recorder's retention. */
    @Produces
    @Singleton
    EventLog eventLog(AgroalDataSource dataSource, EtcdConnection etcd) {
        if (etcd.client().isPresent()) {
            return new EtcdEventLog(etcd.client().get(), etcd.eventsPrefix());
        }
        SchemaMigrator.migrate(dataSource); // idempotent; whichever producer runs first creates the tables
        return new SqliteEventLog(dataSource);
    }
}
