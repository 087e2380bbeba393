package dev.hypr.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VmHealthOutputTest {
    private static JsonNode vm(String ready, String health) {
        return Json.parseObject("""
                {"kind":"VM","metadata":{"name":"web"},"status":{"phase":"Running",
                 "conditions":[{"type":"Ready","status":"%s"}],
                 "health":{"status":"%s","failingStreak":3,"log":[
                   {"time":"2026-01-01T00:00:00Z","result":"fail","exitCode":7,"output":"curl: (7) refused\\nsecond line"}]}}}
                """.formatted(ready, health));
    }

    @Test
    void readyColumnShowsHealth() {
        assertEquals("0/1 (unhealthy)", Fields.vmReady(vm("False", "unhealthy")));
        assertEquals("0/1 (health: starting)", Fields.vmReady(vm("False", "starting")));
        assertEquals("1/1", Fields.vmReady(vm("True", "healthy")));
        assertEquals("0/1", Fields.vmReady(Json.parseObject("{\"kind\":\"VM\",\"status\":{}}")));
    }

    @Test
    void describeShowsTheLastProbesWithTimeExitCodeAndOutput() {
        StringWriter out = new StringWriter();
        Describer.describe(vm("False", "unhealthy"), new PrintWriter(out), Instant.parse("2026-01-01T00:00:05Z"));
        String text = out.toString();
        assertTrue(text.contains("Health:") && text.contains("unhealthy (failing streak 3)"), text);
        assertTrue(text.contains("2026-01-01T00:00:00Z (5s ago)") && text.contains(" 7 ")
                && text.contains("curl: (7) refused | second line"), text);
    }
}
