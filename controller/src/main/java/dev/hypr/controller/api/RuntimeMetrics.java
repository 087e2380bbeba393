package dev.hypr.controller.api;

import dev.hypr.controller.util.Threads;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The JVM and process metrics (memory, GC, threads, classes, CPU, open files, uptime), bound on
 * a background thread once hyprd is up rather than by Quarkus' binders during start-up: binding
 * them initialises JMX, ~50 ms of a 2-core machine's start-up, and nobody scrapes that early.
 */
@ApplicationScoped
public class RuntimeMetrics {
    private static final Logger LOG = Logger.getLogger(RuntimeMetrics.class);
    private volatile JvmGcMetrics gc;

    void bind(@Observes StartupEvent ev, MeterRegistry registry) {
        Threads.start("runtime-metrics", () -> {
            try {
                gc = new JvmGcMetrics();
                List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                        new ClassLoaderMetrics(), new ProcessorMetrics(), new FileDescriptorMetrics(), new UptimeMetrics());
                binders.forEach(b -> b.bindTo(registry));
            } catch (RuntimeException e) {
                LOG.warnf(e, "JVM and process metrics are not available");
            }
        });
    }

    void close(@Observes ShutdownEvent ev) {
        JvmGcMetrics g = gc;
        if (g != null) {
            g.close();
        }
    }
}
