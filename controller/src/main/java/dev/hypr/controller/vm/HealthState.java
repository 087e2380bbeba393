package dev.hypr.controller.vm;

import dev.hypr.controller.agent.HealthReport;
import dev.hypr.controller.agent.KeyValueText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * What hyprd knows of one VM's health check: whether the VM runs one (its CONFIG holds a probe),
 * the state Kestrel last reported and the last {@link #LOG_SIZE} probe results, stamped with
 * hyprd's clock (the guest's may be off). Lost with hyprd; Kestrel's HELLO repeats the state.
 */
final class HealthState {
    static final int LOG_SIZE = 5;

    /** One probe result as status shows it. */
    record Probe(Instant time, HealthReport.Result result, int exitCode, String output) {
    }

    /** A consistent copy for the status builder. */
    record Snapshot(boolean declared, HealthReport.Status status, int failures, boolean inStartPeriod, List<Probe> log) {
        /** The latest probe's output, if any probe ran since the workload started. */
        String lastOutput() {
            return log.isEmpty() ? "" : log.get(log.size() - 1).output();
        }
    }

    private boolean declared;
    private HealthReport.Status status = HealthReport.Status.STARTING;
    private int failures;
    private boolean inStartPeriod;
    private final Deque<Probe> log = new ArrayDeque<>();

    /** Whether the CONFIG payload hyprd sends (or sent) this boot carries a probe ({@code hc=}). */
    static boolean declaredIn(Path workloadConfig) {
        try {
            return KeyValueText.parse(Files.readAllBytes(workloadConfig)).stream().map(Map.Entry::getKey).anyMatch("hc"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    synchronized void declared(boolean value) {
        declared = value;
    }

    /** HELLO's {@code health=} word: after a hyprd restart, the state without waiting for the next probe. */
    synchronized void hello(String word) {
        if (word.isEmpty() || word.equals("none")) {
            return;
        }
        declared = true;
        status = HealthReport.status(word);
    }

    /** Kestrel started the workload (again): probing starts over, the log stays. */
    synchronized void workloadStarted() {
        status = HealthReport.Status.STARTING;
        failures = 0;
        inStartPeriod = false;
    }

    synchronized void report(HealthReport r, Instant now) {
        declared = true;
        status = r.status();
        failures = r.failures();
        inStartPeriod = r.inStartPeriod();
        log.addLast(new Probe(now, r.result(), r.exitCode(), r.output()));
        while (log.size() > LOG_SIZE) {
            log.removeFirst();
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(declared, status, failures, inStartPeriod, List.copyOf(log));
    }
}
