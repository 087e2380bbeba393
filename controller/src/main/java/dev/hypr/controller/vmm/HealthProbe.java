package dev.hypr.controller.vmm;

import dev.hypr.controller.agent.KeyValueText;
import java.util.List;
import java.util.Objects;

/**
 * A health check as Kestrel runs it (guest/PROTOCOL.md, 5): the probe and its schedule in
 * milliseconds. argv is for EXEC (a shell string is already {@code /bin/sh -c STRING});
 * port and path for HTTP and TCP. startIntervalMs 0 means periodMs. restartWhenUnhealthy
 * makes it a liveness check. successes: consecutive passes to become healthy (1 = one pass).
 */
public record HealthProbe(Kind kind, List<String> argv, int port, String path, long periodMs, long timeoutMs, int retries,
                          long initialDelayMs, long startPeriodMs, long startIntervalMs, boolean restartWhenUnhealthy,
                          int successes) {
    public enum Kind { EXEC, HTTP, TCP }

    public HealthProbe(Kind kind, List<String> argv, int port, String path, long periodMs, long timeoutMs, int retries,
                       long initialDelayMs, long startPeriodMs, long startIntervalMs, boolean restartWhenUnhealthy) {
        this(kind, argv, port, path, periodMs, timeoutMs, retries, initialDelayMs, startPeriodMs, startIntervalMs,
                restartWhenUnhealthy, 1);
    }

    public HealthProbe {
        Objects.requireNonNull(kind);
        argv = List.copyOf(argv);
        path = path == null || path.isEmpty() ? "/" : path;
    }

    /** The {@code hc*} keys of the CONFIG payload. */
    public void encode(KeyValueText kv) {
        kv.add("hc", switch (kind) {
            case EXEC -> "exec";
            case HTTP -> "http";
            case TCP -> "tcp";
        });
        if (kind == Kind.EXEC) {
            kv.addAll("hc_arg", argv);
        } else {
            kv.add("hc_port", Integer.toString(port));
        }
        if (kind == Kind.HTTP) {
            kv.add("hc_path", path);
        }
        kv.add("hc_period_ms", Long.toString(periodMs));
        kv.add("hc_timeout_ms", Long.toString(timeoutMs));
        kv.add("hc_retries", Integer.toString(retries));
        if (successes > 1) { // only then: a Kestrel without it would log the key as unknown
            kv.add("hc_successes", Integer.toString(successes));
        }
        kv.add("hc_initial_delay_ms", Long.toString(initialDelayMs));
        kv.add("hc_start_period_ms", Long.toString(startPeriodMs));
        if (startIntervalMs > 0) {
            kv.add("hc_start_interval_ms", Long.toString(startIntervalMs));
        }
        kv.add("hc_on_unhealthy", restartWhenUnhealthy ? "restart" : "none");
    }
}
