package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.controller.agent.HealthReport;
import dev.hypr.controller.runtime.Conditions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthConditionsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthReport report(HealthReport.Status s, HealthReport.Result r, int exit, int failures, String output) {
        return new HealthReport(s, r, exit, failures, false, output);
    }

    private static JsonNode healthy(ObjectNode status) {
        return Conditions.get(status, "Healthy").orElseThrow();
    }

    @Test
    void withoutAHealthCheckReadyFollowsTheWorkloadAndThereIsNoHealthyCondition() {
        HealthState state = new HealthState();
        assertTrue(HealthConditions.ready(state.snapshot()).ready());
        assertTrue(HealthConditions.ready(null).ready());
        ObjectNode status = Json.MAPPER.createObjectNode();
        Conditions.set(status, "Healthy", true, "ProbeSucceeded", "", 1, NOW);
        status.putObject("health").put("status", "healthy");
        HealthConditions.apply(status, state.snapshot(), true, 1, NOW);
        assertTrue(Conditions.get(status, "Healthy").isEmpty(), "a health check that went away leaves no condition");
        assertFalse(status.has("health"));
    }

    @Test
    void startingIsUnknownAndNotReady() {
        HealthState state = new HealthState();
        state.declared(true);
        HealthConditions.Verdict v = HealthConditions.ready(state.snapshot());
        assertFalse(v.ready());
        assertEquals("HealthCheckStarting", v.reason());
        ObjectNode status = Json.MAPPER.createObjectNode();
        HealthConditions.apply(status, state.snapshot(), true, 1, NOW);
        assertEquals("Unknown", healthy(status).path("status").asText());
        assertEquals("Starting", healthy(status).path("reason").asText());
    }

    @Test
    void unhealthyIsFalseWithTheProbeOutputAndReadyFalse() {
        HealthState state = new HealthState();
        state.declared(true);
        state.report(report(HealthReport.Status.UNHEALTHY, HealthReport.Result.FAIL, 7, 3, "connection refused\n"), NOW);
        HealthConditions.Verdict v = HealthConditions.ready(state.snapshot());
        assertFalse(v.ready());
        assertEquals("Unhealthy", v.reason());
        assertTrue(v.message().contains("3 times") && v.message().contains("connection refused"), v.message());
        ObjectNode status = Json.MAPPER.createObjectNode();
        HealthConditions.apply(status, state.snapshot(), true, 1, NOW);
        assertEquals("False", healthy(status).path("status").asText());
        assertEquals("ProbeFailed", healthy(status).path("reason").asText());
        assertTrue(healthy(status).path("message").asText().contains("connection refused"));
        JsonNode entry = status.path("health").path("log").get(0);
        assertEquals(7, entry.path("exitCode").asInt());
        assertEquals("fail", entry.path("result").asText());
        assertEquals(NOW.toString(), entry.path("time").asText());
        assertEquals("unhealthy", status.path("health").path("status").asText());
    }

    @Test
    void healthyMakesReadyTrueAndTheLogKeepsTheLastFive() {
        HealthState state = new HealthState();
        for (int i = 0; i < 8; i++) {
            state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "probe " + i), NOW.plusSeconds(i));
        }
        assertTrue(HealthConditions.ready(state.snapshot()).ready());
        ObjectNode status = Json.MAPPER.createObjectNode();
        HealthConditions.apply(status, state.snapshot(), true, 1, NOW);
        assertEquals("True", healthy(status).path("status").asText());
        JsonNode log = status.path("health").path("log");
        assertEquals(HealthState.LOG_SIZE, log.size());
        assertEquals("probe 3", log.get(0).path("output").asText());
        assertEquals("probe 7", log.get(4).path("output").asText());
    }

    @Test
    void aStoppedWorkloadIsUnknownAndARestartStartsOver() {
        HealthState state = new HealthState();
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, ""), NOW);
        ObjectNode status = Json.MAPPER.createObjectNode();
        HealthConditions.apply(status, state.snapshot(), false, 1, NOW);
        assertEquals("Unknown", healthy(status).path("status").asText());
        assertEquals("WorkloadNotRunning", healthy(status).path("reason").asText());
        state.workloadStarted();
        assertEquals(HealthReport.Status.STARTING, state.snapshot().status());
        assertEquals(1, state.snapshot().log().size(), "the log survives a workload restart");
    }

    @Test
    void longOutputIsTruncatedInStatus() {
        HealthState state = new HealthState();
        state.report(report(HealthReport.Status.UNHEALTHY, HealthReport.Result.FAIL, 1, 3, "x".repeat(4096)), NOW);
        ObjectNode status = Json.MAPPER.createObjectNode();
        HealthConditions.apply(status, state.snapshot(), true, 1, NOW);
        assertTrue(status.path("health").path("log").get(0).path("output").asText().length() <= HealthConditions.OUTPUT_CHARS + 1);
        assertTrue(healthy(status).path("message").asText().length() < 1200);
    }

    @Test
    void helloRestoresTheStateAfterAHyprdRestart() {
        HealthState state = new HealthState();
        state.hello("unhealthy");
        assertTrue(state.snapshot().declared());
        assertEquals(HealthReport.Status.UNHEALTHY, state.snapshot().status());
        HealthState none = new HealthState();
        none.hello("none");
        assertFalse(none.snapshot().declared());
    }

    /** status as the store would hold it after {@code apply} on a copy of {@code stored}. */
    private static ObjectNode applied(ObjectNode stored, HealthState state, Instant now) {
        ObjectNode status = stored.deepCopy();
        HealthConditions.apply(status, state.snapshot(), true, 1, now);
        return status;
    }

    @Test
    void aHealthyVmsRepeatedPassesRewriteStatusAtMostOnceAMinute() {
        HealthState state = new HealthState();
        state.declared(true);
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "HTTP/1.1 200 OK"), NOW);
        ObjectNode stored = applied(Json.MAPPER.createObjectNode(), state, NOW);
        assertEquals(1, stored.path("health").path("log").size());

        // the next passes, 10 s apart, change nothing: no store write, no watcher woken
        for (int s = 10; s < 60; s += 10) {
            state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "HTTP/1.1 200 OK"), NOW.plusSeconds(s));
            assertEquals(stored, applied(stored, state, NOW.plusSeconds(s)), "pass at +" + s + " s");
        }
        // a minute after the stored newest entry, the log catches up with every probe it missed
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "HTTP/1.1 200 OK"), NOW.plusSeconds(60));
        ObjectNode refreshed = applied(stored, state, NOW.plusSeconds(60));
        JsonNode log = refreshed.path("health").path("log");
        assertEquals(HealthState.LOG_SIZE, log.size());
        assertEquals(NOW.plusSeconds(60).toString(), log.get(log.size() - 1).path("time").asText());
    }

    @Test
    void aFailureOrANewOutputOfAHealthyVmIsWrittenAtOnce() {
        HealthState state = new HealthState();
        state.declared(true);
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "HTTP/1.1 200 OK"), NOW);
        ObjectNode stored = applied(Json.MAPPER.createObjectNode(), state, NOW);

        // a failure under failureThreshold leaves it healthy, but the log and the streak say so now
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.FAIL, 1, 1, "connection refused"), NOW.plusSeconds(10));
        ObjectNode failed = applied(stored, state, NOW.plusSeconds(10));
        assertEquals("fail", failed.path("health").path("log").get(1).path("result").asText());
        assertEquals(1, failed.path("health").path("failingStreak").asInt());

        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "HTTP/1.1 204 No Content"), NOW.plusSeconds(20));
        ObjectNode changed = applied(failed, state, NOW.plusSeconds(20));
        assertEquals("HTTP/1.1 204 No Content", changed.path("health").path("log").get(2).path("output").asText());
    }

    @Test
    void aWorkloadTurningHealthyWritesItsLog() {
        HealthState state = new HealthState();
        state.declared(true);
        state.report(report(HealthReport.Status.STARTING, HealthReport.Result.PASS, 0, 0, "ok"), NOW);
        ObjectNode stored = applied(Json.MAPPER.createObjectNode(), state, NOW);
        state.report(report(HealthReport.Status.HEALTHY, HealthReport.Result.PASS, 0, 0, "ok"), NOW.plusSeconds(1));
        ObjectNode healthyNow = applied(stored, state, NOW.plusSeconds(1));
        assertEquals(2, healthyNow.path("health").path("log").size());
        assertEquals("healthy", healthyNow.path("health").path("status").asText());
    }
}
