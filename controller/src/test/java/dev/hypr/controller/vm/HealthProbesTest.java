package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.model.ExecAction;
import dev.hypr.api.model.Healthcheck;
import dev.hypr.api.model.HttpGetAction;
import dev.hypr.api.model.PortMapping;
import dev.hypr.controller.agent.KeyValueText;
import dev.hypr.controller.image.ImageHealthcheck;
import dev.hypr.controller.vmm.HealthProbe;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthProbesTest {
    private static final ImageHealthcheck IMAGE = new ImageHealthcheck(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"),
            5_000_000_000L, 3_000_000_000L, 10_000_000_000L, 0, 4);

    @Test
    void theSpecWinsOverTheImageAndDisableTurnsBothOff() {
        Healthcheck spec = new Healthcheck(null, new HttpGetAction(80, "/health"), null, null, null, null, null);
        assertEquals(HealthProbe.Kind.HTTP, HealthProbes.resolve(spec, IMAGE).orElseThrow().kind());
        Healthcheck disabled = new Healthcheck(null, null, null, null, null, null, null, null, null, true, null);
        assertEquals(Optional.empty(), HealthProbes.resolve(disabled, IMAGE));
        assertEquals(Optional.empty(), HealthProbes.resolve(null, null));
    }

    @Test
    void theImageHealthcheckIsUsedWithDockerSemantics() {
        HealthProbe p = HealthProbes.resolve(null, IMAGE).orElseThrow();
        assertEquals(List.of("/bin/sh", "-c", "curl -f http://localhost/ || exit 1"), p.argv());
        assertEquals(5000, p.periodMs());
        assertEquals(3000, p.timeoutMs());
        assertEquals(10000, p.startPeriodMs());
        assertEquals(4, p.retries());
        HealthProbe defaults = HealthProbes.fromImage(new ImageHealthcheck(List.of("CMD", "/check", "-v"), 0, 0, 0, 0, 0)).orElseThrow();
        assertEquals(List.of("/check", "-v"), defaults.argv());
        assertEquals(30000, defaults.periodMs());
        assertEquals(3, defaults.retries());
        assertEquals(Optional.empty(), HealthProbes.fromImage(new ImageHealthcheck(List.of("NONE"), 0, 0, 0, 0, 0)));
    }

    @Test
    void specDefaultsShellAndLivenessReachTheConfigKeys() {
        Healthcheck spec = new Healthcheck(new ExecAction(null, "test -f /tmp/ok"), null, null, 2, 1, null, null, 30, 1, null, "restart");
        HealthProbe p = HealthProbes.fromSpec(spec);
        KeyValueText kv = new KeyValueText();
        p.encode(kv);
        List<Map.Entry<String, String>> keys = KeyValueText.parse(kv.toBytes());
        assertEquals(List.of(Map.entry("hc", "exec"), Map.entry("hc_arg", "/bin/sh"), Map.entry("hc_arg", "-c"),
                Map.entry("hc_arg", "test -f /tmp/ok"), Map.entry("hc_period_ms", "2000"), Map.entry("hc_timeout_ms", "1000"),
                Map.entry("hc_retries", "3"), Map.entry("hc_initial_delay_ms", "0"), Map.entry("hc_start_period_ms", "30000"),
                Map.entry("hc_start_interval_ms", "1000"), Map.entry("hc_on_unhealthy", "restart")), keys);
    }

    @Test
    void httpProbesCarryPortAndPath() {
        HealthProbe p = HealthProbes.fromSpec(new Healthcheck(null, new HttpGetAction(8080, null), null, null, null, null, null));
        KeyValueText kv = new KeyValueText();
        p.encode(kv);
        List<Map.Entry<String, String>> keys = KeyValueText.parse(kv.toBytes());
        assertTrue(keys.contains(Map.entry("hc_port", "8080")) && keys.contains(Map.entry("hc_path", "/"))
                && keys.contains(Map.entry("hc_on_unhealthy", "none")), keys.toString());
    }

    @Test
    void namedPortsResolveAgainstSpecPortsAndSuccessThresholdIsSent() {
        Healthcheck spec = dev.hypr.api.Json.MAPPER.convertValue(dev.hypr.api.Json.parseObject(
                "{\"httpGet\":{\"port\":\"web\",\"path\":\"/up\"},\"successThreshold\":3}"), Healthcheck.class);
        List<PortMapping> ports = List.of(new PortMapping("metrics", null, null, 9100, "TCP"), new PortMapping("web", null, 8080, 80, "TCP"));
        HealthProbe p = HealthProbes.resolve(spec, null, ports).orElseThrow();
        assertEquals(80, p.port(), "the named port's guestPort");
        KeyValueText kv = new KeyValueText();
        p.encode(kv);
        List<Map.Entry<String, String>> keys = KeyValueText.parse(kv.toBytes());
        assertTrue(keys.contains(Map.entry("hc_port", "80")) && keys.contains(Map.entry("hc_successes", "3")), keys.toString());
        VmConfigException unknown = assertThrows(VmConfigException.class, () -> HealthProbes.resolve(spec, null, List.of()));
        assertTrue(unknown.getMessage().contains("no port named \"web\""), unknown.getMessage());
        assertEquals("{\"port\":\"web\",\"path\":\"/up\"}", dev.hypr.api.Json.write(spec.httpGet()), "names stay names");
    }

    @Test
    void theImageConfigsHealthcheckIsRead() {
        var blob = dev.hypr.api.Json.parseObject("""
                {"os":"linux","architecture":"amd64","config":{"Cmd":["nginx"],"Healthcheck":{
                  "Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"Interval":5000000000,"Timeout":3000000000,
                  "StartPeriod":10000000000,"Retries":4}}}
                """);
        ImageHealthcheck h = dev.hypr.controller.image.ImageConfig.parse(blob).healthcheck();
        assertEquals(IMAGE.test(), h.test());
        assertEquals(5_000_000_000L, h.intervalNanos());
        assertEquals(4, h.retries());
        assertEquals(null, dev.hypr.controller.image.ImageConfig.parse(dev.hypr.api.Json.parseObject("{\"config\":{}}")).healthcheck());
    }
}
