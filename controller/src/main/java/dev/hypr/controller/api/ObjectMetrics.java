package dev.hypr.controller.api;

import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** hypr_objects{kind}: how many objects of each kind the store holds. */
@ApplicationScoped
public class ObjectMetrics {
    void register(@Observes StartupEvent ev, ObjectStore store, MeterRegistry registry) {
        for (Kind kind : Kind.values()) {
            Gauge.builder("hypr_objects", store, s -> s.count(kind))
                    .description("Objects in the store")
                    .tag("kind", kind.kindName())
                    .register(registry);
        }
        Gauge.builder("hypr_store_revision", store, ObjectStore::revision)
                .description("Newest committed resourceVersion")
                .register(registry);
    }
}
