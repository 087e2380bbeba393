package dev.hypr.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackOutputTest {
    private static final JsonNode STACK = Json.parseObject("""
            {"kind":"Stack","metadata":{"name":"shop"},"spec":{"services":[{"name":"db"},{"name":"web"}]},
             "status":{"phase":"Progressing","servicesReady":"1/2","conditions":[{"type":"Ready","status":"False"}],
              "services":[
                {"name":"db","phase":"Running","replicas":1,"ready":1,"health":"Healthy",
                 "ports":[{"vm":"shop-db-1","hostIP":"127.0.0.1","hostPort":40123,"guestPort":5432,"protocol":"TCP"}]},
                {"name":"web","phase":"Waiting","replicas":2,"ready":0,"health":"None","waitingFor":"db to be healthy"}]}}
            """);

    @Test
    void getShowsPhaseAndServicesReady() {
        List<KindColumns.Column> cols = KindColumns.of(Kind.STACK, false);
        assertEquals(List.of("NAME", "PHASE", "SERVICES", "READY", "AGE"), cols.stream().map(KindColumns.Column::header).toList());
        assertEquals("1/2", cols.get(3).cell().apply(STACK, Instant.EPOCH));
        assertEquals("Progressing", cols.get(1).cell().apply(STACK, Instant.EPOCH));
    }

    @Test
    void describeShowsOneLinePerServiceWithPortsAndWhyItWaits() {
        StringWriter out = new StringWriter();
        Describer.describe(STACK, new PrintWriter(out), Instant.EPOCH);
        String text = out.toString();
        assertTrue(text.contains("Services:"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("db") && l.contains("Running") && l.contains("1/1") && l.contains("Healthy")
                && l.contains("127.0.0.1:40123->5432/tcp")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("web") && l.contains("Waiting") && l.contains("0/2")
                && l.contains("waiting for db to be healthy")), text);
    }
}
