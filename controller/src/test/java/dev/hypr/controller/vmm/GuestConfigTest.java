package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.KeyValueText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestConfigTest {
    private final GuestConfig config = GuestConfig.workload("httpd", "-f", "-h", "/www")
            .withEnv(List.of("A=b c", "PASSWORD=hunter2"))
            .withHostname("web")
            .withNetwork("10.0.2.15/24", "10.0.2.2", List.of("10.0.2.3"))
            .withRestartPolicy(GuestConfig.RestartPolicy.ON_FAILURE)
            .withSecrets(List.of(new GuestConfig.SecretFile("db", new byte[] {'p', 0, 'w'})));

    @Test
    void bootPartIsUrlSafeBase64OfOnlyWhatTheGuestNeedsBeforeTheAgentConnects() {
        String encoded = config.encodeBoot();
        assertFalse(encoded.contains("=") || encoded.contains("+") || encoded.contains("/"), encoded);
        String decoded = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertEquals("hostname=web\0ip=10.0.2.15/24\0gw=10.0.2.2\0dns=10.0.2.3", decoded);
    }

    @Test
    void workloadPartCarriesArgvEnvAndSecretsWithBinarySecretsInBase64() {
        List<Map.Entry<String, String>> kv = KeyValueText.parse(config.encodeWorkload());
        assertEquals(List.of(Map.entry("arg", "httpd"), Map.entry("arg", "-f"), Map.entry("arg", "-h"), Map.entry("arg", "/www"),
                Map.entry("env", "A=b c"), Map.entry("env", "PASSWORD=hunter2"), Map.entry("restart", "on-failure"),
                Map.entry("secret", "db:" + Base64.getEncoder().encodeToString(new byte[] {'p', 0, 'w'}))), kv);
    }

    @Test
    void aBuildSecretWithATargetTravelsAsAFileAtThatPath() {
        GuestConfig withTarget = GuestConfig.workload("true").withSecrets(List.of(
                new GuestConfig.SecretFile("npmrc", new byte[] {'t'}, "/root/.npmrc", null, null, null)));
        assertEquals(List.of(Map.entry("file", ":::dA==:/root/.npmrc")),
                KeyValueText.parse(withTarget.encodeWorkload()).stream()
                        .filter(e -> e.getKey().startsWith("secret") || e.getKey().equals("file")).toList());
    }

    @Test
    void volumesTravelInTheWorkloadPartWithThePathLast() {
        GuestConfig withVolumes = GuestConfig.workload("true").withVolumes(List.of(
                new GuestConfig.VolumeMountEntry("hypr-data", "/var/lib/data", false, true),
                new GuestConfig.VolumeMountEntry("hypr-seed", "/srv/a:b", true, false)));
        List<Map.Entry<String, String>> kv = KeyValueText.parse(withVolumes.encodeWorkload());
        assertEquals(List.of(Map.entry("volume", "hypr-data:rw:copy:/var/lib/data"), Map.entry("volume", "hypr-seed:ro:nocopy:/srv/a:b")),
                kv.stream().filter(e -> e.getKey().equals("volume")).toList());
        assertFalse(new String(Base64.getUrlDecoder().decode(withVolumes.encodeBoot()), StandardCharsets.UTF_8).contains("volume"));
    }

    @Test
    void filesAtTheirOwnPathAndStopSettingsTravelInTheWorkloadPart() {
        GuestConfig files = GuestConfig.workload("true").withSecrets(List.of(
                        new GuestConfig.SecretFile("db", new byte[] {'p', 'w'}, "/etc/app/db:pw", 0, 101, "0440"),
                        new GuestConfig.SecretFile("/motd", new byte[] {'h'}, "/motd", null, null, "0444")))
                .withStop(new GuestConfig.Stop(3, 2, 30000));
        List<Map.Entry<String, String>> kv = KeyValueText.parse(files.encodeWorkload());
        assertEquals(List.of(Map.entry("stop_signal", "3"), Map.entry("max_restarts", "2"), Map.entry("stop_grace_ms", "30000"),
                Map.entry("file", "0440:0:101:cHc=:/etc/app/db:pw"), Map.entry("file", "0444:::aA==:/motd")),
                kv.stream().filter(e -> !e.getKey().equals("arg") && !e.getKey().equals("restart")).toList());
    }

    @Test
    void sixtyFourKibOfEnvFitsAndMoreThanOneFrameIsRefused() {
        String value = "v".repeat(64 * 1024);
        assertTrue(GuestConfig.workload("true").withEnv(List.of("BIG=" + value)).encodeWorkload().length > 64 * 1024);
        String tooBig = "v".repeat(GuestConfig.MAX_WORKLOAD_BYTES);
        assertThrows(IllegalArgumentException.class, () -> GuestConfig.workload("true").withEnv(List.of("BIG=" + tooBig)).encodeWorkload());
    }

    @Test
    void rejectsNulInValues() {
        assertThrows(IllegalArgumentException.class, () -> GuestConfig.workload("echo", "a\0b").encodeWorkload());
    }

    @Test
    void toStringNeverShowsEnvValuesOrSecretContent() {
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertFalse(config.secrets().get(0).toString().contains("p"), config.secrets().get(0).toString());
    }

    @Test
    void theWorkloadConfigFileIsWrittenOwnerOnlyNextToTheAgentSocket(@TempDir Path dir) throws Exception {
        VmHandle handle = new VmHandle("web", HypervisorKind.QEMU, dir.resolve("vm"));
        RuntimeFiles.writeWorkloadConfig(handle, config);
        assertEquals(handle.agentSocket().resolveSibling(AgentConnection.WORKLOAD_CONFIG_FILE), handle.workloadConfigFile());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(handle.workloadConfigFile())));
        assertArrayEquals(config.encodeWorkload(), Files.readAllBytes(handle.workloadConfigFile()));
    }
}
