package dev.hypr.controller.vm;

import dev.hypr.api.model.Healthcheck;
import dev.hypr.api.model.PortMapping;
import dev.hypr.api.model.ProbePort;
import dev.hypr.controller.image.ImageHealthcheck;
import dev.hypr.controller.vmm.HealthProbe;
import java.util.List;
import java.util.Optional;

/**
 * Which health check a VM runs: its {@code spec.healthcheck}, else the image's HEALTHCHECK,
 * none with {@code disable: true}. Unset timings take the CRD's defaults for the spec and
 * docker's for the image (a HEALTHCHECK was written for docker).
 */
final class HealthProbes {
    static final int PERIOD_SECONDS = 10;
    static final int TIMEOUT_SECONDS = 2;
    static final int FAILURE_THRESHOLD = 3;
    private static final long DOCKER_INTERVAL_MS = 30_000;
    private static final long DOCKER_TIMEOUT_MS = 30_000;
    private static final int DOCKER_RETRIES = 3;

    private HealthProbes() {
    }

    static Optional<HealthProbe> resolve(Healthcheck spec, ImageHealthcheck image) {
        return resolve(spec, image, List.of());
    }

    /** ports: the VM's spec.ports, for probe ports given by name. */
    static Optional<HealthProbe> resolve(Healthcheck spec, ImageHealthcheck image, List<PortMapping> ports) {
        if (spec != null && Boolean.TRUE.equals(spec.disable())) {
            return Optional.empty();
        }
        if (spec != null && (spec.exec() != null || spec.httpGet() != null || spec.tcpSocket() != null)) {
            return Optional.of(fromSpec(spec, ports));
        }
        return image == null ? Optional.empty() : fromImage(image);
    }

    static HealthProbe fromSpec(Healthcheck h) {
        return fromSpec(h, List.of());
    }

    /** A port name that is not in ports (an object that bypassed validation, e.g. a Sync) is a config error, a condition. */
    static HealthProbe fromSpec(Healthcheck h, List<PortMapping> ports) {
        HealthProbe.Kind kind;
        List<String> argv = List.of();
        int port = 0;
        String path = null;
        if (h.exec() != null) {
            kind = HealthProbe.Kind.EXEC;
            argv = h.exec().shell() != null ? List.of("/bin/sh", "-c", h.exec().shell()) : h.exec().command();
        } else if (h.httpGet() != null) {
            kind = HealthProbe.Kind.HTTP;
            port = port(h.httpGet().port(), ports, "httpGet");
            path = h.httpGet().path();
        } else {
            kind = HealthProbe.Kind.TCP;
            port = port(h.tcpSocket().port(), ports, "tcpSocket");
        }
        return new HealthProbe(kind, argv, port, path,
                seconds(h.periodSeconds(), PERIOD_SECONDS), seconds(h.timeoutSeconds(), TIMEOUT_SECONDS),
                h.failureThreshold() == null ? FAILURE_THRESHOLD : h.failureThreshold(),
                seconds(h.initialDelaySeconds(), 0), seconds(h.startPeriodSeconds(), 0), seconds(h.startIntervalSeconds(), 0),
                "restart".equals(h.onUnhealthy()), h.successThreshold() == null ? 1 : h.successThreshold());
    }

    private static int port(ProbePort port, List<PortMapping> ports, String probe) {
        return port.resolve(ports).orElseThrow(() -> new VmConfigException(VmConfigException.INVALID_SPEC,
                "spec.healthcheck." + probe + ".port: no port named \"" + port.name() + "\" in spec.ports"));
    }

    static Optional<HealthProbe> fromImage(ImageHealthcheck h) {
        List<String> test = h.test();
        List<String> argv = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> test.size() < 2 ? List.of() : List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> List.of(); // NONE, or a form docker does not know either
        };
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthProbe(HealthProbe.Kind.EXEC, argv, 0, null,
                millis(h.intervalNanos(), DOCKER_INTERVAL_MS), millis(h.timeoutNanos(), DOCKER_TIMEOUT_MS),
                h.retries() > 0 ? h.retries() : DOCKER_RETRIES, 0, millis(h.startPeriodNanos(), 0),
                millis(h.startIntervalNanos(), 0), false));
    }

    private static long seconds(Integer value, int otherwise) {
        return (value == null ? otherwise : value) * 1000L;
    }

    private static long millis(long nanos, long otherwise) {
        return nanos > 0 ? Math.max(1, nanos / 1_000_000) : otherwise;
    }
}
