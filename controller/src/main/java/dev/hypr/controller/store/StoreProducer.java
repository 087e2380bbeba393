package dev.hypr.controller.store;

import dev.hypr.controller.events.EventLog;
import dev.hypr.controller.store.sqlite.HibernatePersistence;
import dev.hypr.controller.store.sqlite.SchemaMigrator;
import dev.hypr.controller.store.sqlite.SqliteEventLog;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the one store of this daemon: SQLite via Hibernate, cached in memory. */
@ApplicationScoped
public class StoreProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(AgroalDataSource dataSource, EntityManager em,
            @ConfigProperty(name = "hypr.store.retained-changes", defaultValue = "10000") int retainedChanges) {
        SchemaMigrator.migrate(dataSource);
        return new CachedObjectStore(new HibernatePersistence(em, retainedChanges), Clock.systemUTC());
    }

    /** Events in the same file: kept across restarts, bounded by the recorder's retention. */
    @Produces
    @Singleton
    EventLog eventLog(AgroalDataSource dataSource) {
        SchemaMigrator.migrate(dataSource); // idempotent; whichever producer runs first creates the tables
        return new SqliteEventLog(dataSource);
    }
}
