package dev.hypr.controller.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.controller.agent.HealthReport;
import dev.hypr.controller.runtime.Conditions;
import java.time.Duration;
import java.time.Instant;

/**
 * A VM's health in status: the {@code Healthy} condition (True / False / Unknown while
 * starting), {@code status.health} (state, failing streak, last probes) and whether a running
 * workload is Ready. Without a health check there is no Healthy condition and Ready follows the
 * workload alone.
 */
final class HealthConditions {
    /** Longest probe output kept per log entry and in a condition message. */
    static final int OUTPUT_CHARS = 1024;
    /**
     * How stale a healthy VM's probe log in status may get while nothing else changes. Every probe
     * rewrote status before: with 50 VMs probed every 10 s that was 5 store commits a second (and
     * the watch wake-ups of every VM watcher) for no news; docs/benchmarks.md, density.
     */
    static final Duration STEADY_LOG_REFRESH = Duration.ofSeconds(60);

    record Verdict(boolean ready, String reason, String message) {
    }

    private HealthConditions() {
    }

    /** Ready of a VM whose workload runs. health is null when hyprd has no live link to the VM. */
    static Verdict ready(HealthState.Snapshot health) {
        if (health == null || !health.declared()) {
            return new Verdict(true, "WorkloadRunning", "Kestrel reports the workload running");
        }
        return switch (health.status()) {
            case HEALTHY -> new Verdict(true, "WorkloadHealthy", "Kestrel reports the workload running and its health check passing");
            case UNHEALTHY -> new Verdict(false, "Unhealthy", failing(health));
            case STARTING -> new Verdict(false, "HealthCheckStarting", starting(health));
        };
    }

    static void apply(ObjectNode status, HealthState.Snapshot health, boolean workloadRunning, long generation, Instant now) {
        boolean declared = health != null ? health.declared() : status.has("health");
        if (!declared) {
            Conditions.remove(status, "Healthy");
            status.remove("health");
            return;
        }
        ObjectNode out = status.with("health");
        if (health == null || !workloadRunning) {
            Conditions.set(status, "Healthy", "Unknown", "WorkloadNotRunning", "the workload is not running: no probes", generation, now);
            out.put("status", "unknown");
            return;
        }
        boolean keepStoredLog = health.log().isEmpty() // after a hyprd restart: what status had, until a probe runs
                || steadyPassOnly(out, health, now);
        switch (health.status()) {
            case HEALTHY -> Conditions.set(status, "Healthy", "True", "ProbeSucceeded",
                    "the health check passes" + outputSuffix(health.lastOutput()), generation, now);
            case UNHEALTHY -> Conditions.set(status, "Healthy", "False", "ProbeFailed", failing(health), generation, now);
            case STARTING -> Conditions.set(status, "Healthy", "Unknown", "Starting", starting(health), generation, now);
        }
        out.put("status", health.status().name().toLowerCase());
        out.put("failingStreak", health.failures());
        if (!keepStoredLog) {
            ArrayNode log = out.putArray("log");
            for (HealthState.Probe p : health.log()) {
                ObjectNode e = log.addObject();
                e.put("time", p.time().toString());
                e.put("result", p.result().name().toLowerCase());
                e.put("exitCode", p.exitCode());
                e.put("output", truncate(p.output()));
            }
        }
    }

    /**
     * True when the only news in {@code health} is another pass of a workload that was and is
     * healthy, with the same output as the stored newest entry, and that entry is under
     * {@link #STEADY_LOG_REFRESH} old: then the stored log stays. Any other result, output or state
     * (starting, unhealthy, a failing streak) is written at once. {@code stored} is status.health
     * as stored, before this update.
     */
    static boolean steadyPassOnly(ObjectNode stored, HealthState.Snapshot health, Instant now) {
        HealthState.Probe newest = health.log().get(health.log().size() - 1);
        JsonNode log = stored.path("log");
        if (health.status() != HealthReport.Status.HEALTHY || !"healthy".equals(stored.path("status").asText())
                || newest.result() != HealthReport.Result.PASS || !log.isArray() || log.isEmpty()) {
            return false;
        }
        JsonNode last = log.get(log.size() - 1);
        Instant lastTime;
        try {
            lastTime = Instant.parse(last.path("time").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        return "pass".equals(last.path("result").asText()) && last.path("exitCode").asInt() == newest.exitCode()
                && last.path("output").asText().equals(truncate(newest.output()))
                && Duration.between(lastTime, now).compareTo(STEADY_LOG_REFRESH) < 0;
    }

    private static String failing(HealthState.Snapshot h) {
        return "the health check failed " + h.failures() + " time" + (h.failures() == 1 ? "" : "s") + " in a row"
                + outputSuffix(h.lastOutput());
    }

    private static String starting(HealthState.Snapshot h) {
        if (h.log().isEmpty()) {
            return "waiting for the first health probe";
        }
        HealthState.Probe last = h.log().get(h.log().size() - 1);
        String when = h.inStartPeriod() ? " (in the start period: failures do not count yet)" : "";
        return last.result() == HealthReport.Result.PASS ? "the health check is starting"
                : "waiting for the health check to pass" + when + "; last probe " + last.result().name().toLowerCase()
                        + " (exit code " + last.exitCode() + ")" + outputSuffix(last.output());
    }

    private static String outputSuffix(String output) {
        String o = truncate(output).strip();
        return o.isEmpty() ? "" : ": " + o;
    }

    static String truncate(String output) {
        return output.length() <= OUTPUT_CHARS ? output : output.substring(0, OUTPUT_CHARS) + "…";
    }
}
