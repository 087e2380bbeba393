package dev.hypr.controller.vm;

import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * hypr_vms{phase} (from the store, so it agrees with {@code hyprctl get vms}),
 * hypr_vm_boot_seconds (VMM launch to Kestrel's workload start) and hypr_vm_restarts_total.
 */
@ApplicationScoped
public class VmMetrics {
    static final List<String> PHASES = List.of("Pending", "Starting", "Running", "Stopping", "Stopped", "Succeeded", "Failed");

    private Timer boot;
    private Counter restarts;

    void register(@Observes StartupEvent ev, ObjectStore store, MeterRegistry registry) {
        for (String phase : PHASES) {
            Gauge.builder("hypr_vms", store, s -> count(s, phase))
                    .description("VM objects by the phase in their status")
                    .tag("phase", phase)
                    .register(registry);
        }
        boot = Timer.builder("hypr_vm_boot_seconds")
                .description("From launching the VMM to Kestrel reporting the workload started")
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        restarts = Counter.builder("hypr_vm_restarts")
                .description("VMs rebooted after their VMM exited unexpectedly")
                .register(registry);
    }

    static long count(ObjectStore store, String phase) {
        // a VM without a phase yet has not been reconciled: it is Pending
        return store.list(Kind.VM, null).items().stream()
                .filter(vm -> phase.equals(vm.path("status").path("phase").asText("Pending")))
                .count();
    }

    void bootCompleted(Duration d) {
        if (boot != null) {
            boot.record(d);
        }
    }

    void restarted() {
        if (restarts != null) {
            restarts.increment();
        }
    }
}
