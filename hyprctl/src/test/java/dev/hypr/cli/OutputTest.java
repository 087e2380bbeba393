package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hypr.api.Json;
import dev.hypr.cli.output.Age;
import dev.hypr.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The small pure pieces: ages, tables, durations, JSONPath, unified diffs, object references. */
class OutputTest {
    @Test
    void agesLikeKubectl() {
        assertEquals("0s", Age.format(Duration.ofSeconds(-3)));
        assertEquals("5s", Age.format(Duration.ofSeconds(5)));
        assertEquals("59s", Age.format(Duration.ofSeconds(59)));
        assertEquals("3m", Age.format(Duration.ofSeconds(200)));
        assertEquals("2h", Age.format(Duration.ofMinutes(150)));
        assertEquals("4d", Age.format(Duration.ofHours(100)));
        assertEquals("1y", Age.format(Duration.ofDays(400)));
        assertEquals("1m", Age.since("2026-01-01T00:00:00Z", Instant.parse("2026-01-01T00:01:30Z")));
        assertEquals("1m", Age.since("2026-01-01T01:00:00+01:00", Instant.parse("2026-01-01T00:01:30Z")));
        assertEquals("<unknown>", Age.since("yesterday", Instant.now()));
    }

    @Test
    void tableColumnsAlign() {
        StringWriter sw = new StringWriter();
        new TablePrinter(List.of("NAME", "PHASE")).row(List.of("a-long-name", "Running")).row(List.of("b", ""))
                .print(new PrintWriter(sw, true), true);
        assertEquals("NAME          PHASE\na-long-name   Running\nb\n", sw.toString());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("90s"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("1m30s"));
        assertEquals(Duration.ofSeconds(120), DurationConverter.parse("120"));
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("5s later"));
    }

    @Test
    void jsonPath() {
        var obj = Json.parseObject("{\"status\":{\"phase\":\"Running\",\"ports\":[{\"p\":80}],\"m\":{\"a.b\":1}}}");
        assertEquals("Running", JsonPath.parse("{.status.phase}").text(obj));
        assertEquals("80", JsonPath.parse(".status.ports[0].p").text(obj));
        assertEquals("1", JsonPath.parse("{.status.m['a.b']}").text(obj));
        assertEquals(null, JsonPath.parse("{.status.ip}").text(obj));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("status"));
    }

    @Test
    void unifiedDiff() {
        assertEquals("", UnifiedDiff.diff(List.of("a", "b"), List.of("a", "b"), "x", "y", 3));
        assertEquals("--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
                UnifiedDiff.diff(List.of("a", "b", "c"), List.of("a", "B", "c"), "x", "y", 3));
        assertEquals("--- /dev/null\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n",
                UnifiedDiff.diff(List.of(), List.of("a", "b"), "/dev/null", "y", 3));
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> b = List.of("1", "X", "3", "4", "5", "6", "7", "8", "9", "10", "Y", "12");
        String d = UnifiedDiff.diff(a, b, "a", "b", 1);
        assertEquals("--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n@@ -10,3 +10,3 @@\n 10\n-11\n+Y\n 12\n", d);
    }

    @Test
    void kindReferences() {
        assertEquals("[vm/web, vm/db]", KindRef.parse(List.of("vms", "web", "db")).toString());
        assertEquals("[network/a, volume/b]", KindRef.parse(List.of("net/a", "vol/b")).toString());
        assertEquals(2, assertThrows(CliException.class, () -> KindRef.parse(List.of("vm"))).exitCode());
        assertEquals(2, assertThrows(CliException.class, () -> KindRef.parse(List.of("vm/a", "b"))).exitCode());
        assertEquals(1, assertThrows(CliException.class, () -> KindRef.parse(List.of("pod/a"))).exitCode());
        assertEquals("vm", KindRef.printable("VM"));
    }
}
