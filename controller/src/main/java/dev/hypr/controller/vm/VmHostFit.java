package dev.hypr.controller.vm;

import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spec values no schema can bound because they depend on this host: more vCPUs than it has
 * makes the guest crawl (the vCPU threads time-share the cores) and never become Ready. Refused
 * at apply, as {@code docker run --cpus} refuses more than the host has; the VM controller checks
 * again for objects that reach the store another way (a Sync).
 */
public final class VmHostFit {
    private VmHostFit() {
    }

    /** CPUs this process may run on (cgroup and affinity limits included). */
    public static int hostCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** What is wrong with {@code cpus} here, e.g. "64 is more than this host has (2 CPUs); use at most 2". */
    static Optional<String> cpusProblem(Integer cpus, int hostCpus) {
        if (cpus != null && cpus > hostCpus) {
            return Optional.of(cpus + " is more than this host has (" + hostCpus + " CPU" + (hostCpus == 1 ? "" : "s")
                    + "); use at most " + hostCpus);
        }
        return Optional.empty();
    }

    /** Errors for every VM manifest that does not fit this host, at the offending field's position. */
    public static List<ManifestError> check(List<Manifest> manifests, int hostCpus) {
        List<ManifestError> out = new ArrayList<>();
        for (Manifest m : manifests) {
            if (!Kind.VM.kindName().equals(m.kind())) {
                continue;
            }
            var cpus = m.object().path("spec").path("cpus");
            if (cpus.canConvertToInt()) {
                cpusProblem(cpus.asInt(), hostCpus).ifPresent(p -> out.add(m.errorAt("/spec/cpus", p)));
            }
        }
        return out;
    }
}
