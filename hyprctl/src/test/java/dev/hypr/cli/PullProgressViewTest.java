package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullProgressViewTest {
    private static com.fasterxml.jackson.databind.JsonNode progress(String phase, long done, long total) {
        return Json.MAPPER.createObjectNode().put("phase", phase).put("bytesDone", done).put("bytesTotal", total);
    }

    @Test
    void terminalBarIsRedrawnInPlaceWithRateAndEta() {
        StringWriter s = new StringWriter();
        PullProgressView v = new PullProgressView(new PrintWriter(s), true);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        v.update(progress("downloading", 0, 10 << 20), t0);
        v.update(progress("downloading", 5 << 20, 10 << 20), t0.plusSeconds(5));
        v.finish();
        String last = s.toString().substring(s.toString().lastIndexOf('\r'));
        assertTrue(last.startsWith("\r[" + "=".repeat(15) + ">"), last);
        assertTrue(last.contains("5.0 MiB / 10.0 MiB  1.0 MiB/s  ETA 5s  downloading"), last);
        assertTrue(s.toString().endsWith("\n"));
    }

    @Test
    void plainOutputPrintsOneLinePerPhaseAndTenPercent() {
        StringWriter s = new StringWriter();
        PullProgressView v = new PullProgressView(new PrintWriter(s), false);
        Instant t = Instant.EPOCH;
        v.update(progress("downloading", 1, 100), t);
        v.update(progress("downloading", 5, 100), t);
        v.update(progress("downloading", 12, 100), t);
        v.update(progress("building", 100, 100), t);
        assertEquals(3, s.toString().lines().count(), s.toString());
        assertEquals("[==============================]", PullProgressView.bar(7, 7));
    }
}
