package dev.hypr.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private static byte[] kv(String... entries) {
        return String.join("\0", entries).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesAFailedProbeWithMultiLineOutput() {
        HealthReport r = HealthReport.parse(kv("status=unhealthy", "result=fail", "exit=3", "failures=2", "start_period=0",
                "output=line one\nline=two"));
        assertEquals(HealthReport.Status.UNHEALTHY, r.status());
        assertEquals(HealthReport.Result.FAIL, r.result());
        assertEquals(3, r.exitCode());
        assertEquals(2, r.failures());
        assertFalse(r.inStartPeriod());
        assertEquals("line one\nline=two", r.output(), "only the first = separates key and value");
    }

    @Test
    void parsesATimeoutInTheStartPeriod() {
        HealthReport r = HealthReport.parse(kv("status=starting", "result=timeout", "exit=-1", "failures=0", "start_period=1", "output="));
        assertEquals(HealthReport.Status.STARTING, r.status());
        assertEquals(HealthReport.Result.TIMEOUT, r.result());
        assertEquals(-1, r.exitCode());
        assertTrue(r.inStartPeriod());
        assertEquals("", r.output());
    }

    @Test
    void unknownKeysAndGarbageNumbersDoNotBreakParsing() {
        HealthReport r = HealthReport.parse(kv("status=healthy", "result=pass", "exit=x", "future=1"));
        assertEquals(HealthReport.Status.HEALTHY, r.status());
        assertEquals(HealthReport.Result.PASS, r.result());
        assertEquals(1, r.exitCode());
    }

    @Test
    void aHealthFrameOnTheWireIsReadAsOne() throws Exception {
        byte[] payload = kv("status=healthy", "result=pass", "exit=0", "failures=0", "start_period=0", "output=ok");
        byte[] wire = new Frame(FrameType.HEALTH, 0, payload).encode();
        Frame f = new FrameReader(new ByteArrayInputStream(wire)).read();
        assertEquals(0x8A, f.type());
        assertEquals("ok", HealthReport.parse(f.payload()).output());
    }

    @Test
    void helloCarriesTheHealthState() {
        AgentHello hello = AgentHello.parse(kv("agent=kestrel/2", "workload=running", "pid=5", "exit=0", "restarts=0",
                "config=received", "health=unhealthy"));
        assertEquals("unhealthy", hello.health());
        assertEquals("", AgentHello.parse(kv("agent=kestrel/2", "workload=none")).health(), "older agents say nothing");
    }

    @Test
    void helloCarriesTheGuestBootMilestones() {
        AgentHello hello = AgentHello.parse(kv("agent=kestrel/2", "workload=none", "boot_init_ms=312", "boot_ready_ms=405"));
        assertEquals(312, hello.bootInitMs());
        assertEquals(405, hello.bootReadyMs());
        AgentHello older = AgentHello.parse(kv("agent=kestrel/2", "workload=none"));
        assertEquals(0, older.bootInitMs(), "older agents: unknown");
        assertEquals(0, older.bootReadyMs());
    }
}
