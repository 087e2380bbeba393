package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.HealthRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The real hyprctl against the real hyprd: kubectl habits, and bad input that changes nothing. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HyprctlIT {
    @TempDir
    static Path dir;

    static HyprdProcess hyprd;
    static Hyprctl hyprctl;

    @BeforeAll
    static void start() throws Exception {
        // Controllers off: "nothing was stored" is checked by the store revision, which
        // controllers' own status writes would move. VmControllerIT drives the CLI with them on.
        hyprd = HyprdProcess.start(dir.resolve("home"), java.util.List.of(), java.util.Map.of("HYPR_CONTROLLERS_ENABLED", "false"));
        hyprctl = new Hyprctl(hyprd.socket(), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        hyprd.close();
    }

    static Path write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    static String network(String name, String subnet) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: " + name
                + "\n  labels:\n    tier: " + name + "\nspec:\n  subnet: " + subnet + "\n";
    }

    static long revision() {
        return hyprd.client().health(HealthRequest.getDefaultInstance()).getResourceVersion();
    }

    @Test
    void applyGetDescribeDiffDeleteWait() throws Exception {
        Path objects = dir.resolve("objs");
        Files.createDirectories(objects);
        Files.writeString(objects.resolve("a.yaml"), network("front", "10.10.0.0/24") + "---\n"
                + "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: data\nspec:\n  sizeMiB: 64\n");
        Hyprctl.Run apply = hyprctl.run("apply", "-f", objects.toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals("network/front created\nvolume/data created\n", apply.stdout());
        assertEquals("network/front unchanged\nvolume/data unchanged\n", hyprctl.run("apply", "-f", objects.toString()).stdout());

        Hyprctl.Run json = hyprctl.run("get", "networks", "-o", "json");
        ObjectNode list = Json.parseObject(json.stdout());
        assertEquals("List", list.path("kind").asText());
        java.util.List<String> names = new java.util.ArrayList<>();
        list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        assertTrue(names.contains("front"), names.toString());
        assertEquals("network/front\n", hyprctl.run("get", "net", "-l", "tier=front", "-o", "name").stdout());
        Hyprctl.Run yaml = hyprctl.run("get", "network", "front", "-o", "yaml");
        assertTrue(yaml.stdout().contains("subnet: 10.10.0.0/24"), yaml.toString());
        Hyprctl.Run table = hyprctl.run("get", "vol");
        assertTrue(table.stdout().startsWith("NAME"), table.toString());
        assertTrue(table.stdout().contains("data"), table.toString());

        Hyprctl.Run describe = hyprctl.run("describe", "network", "front");
        assertEquals(0, describe.exitCode(), describe.toString());
        assertTrue(describe.stdout().contains("front") && describe.stdout().contains("10.10.0.0/24"), describe.toString());

        Path changed = write("front-changed.yaml", network("front", "10.10.1.0/24"));
        Hyprctl.Run diff = hyprctl.run("diff", "-f", changed.toString());
        assertEquals(1, diff.exitCode(), diff.toString());
        assertTrue(diff.stdout().contains("-  subnet: 10.10.0.0/24") || diff.stdout().contains("10.10.1.0/24"), diff.toString());
        assertEquals(0, hyprctl.run("diff", "-f", objects.resolve("a.yaml").toString()).exitCode());

        CompletableFuture<Hyprctl.Run> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return hyprctl.run("wait", "volume/data", "--for=delete", "--timeout=60s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        Hyprctl.Run delete = hyprctl.run("delete", "volume", "data");
        assertEquals("volume/data deleted\n", delete.stdout(), delete.toString());
        assertEquals(0, waiter.get().exitCode(), waiter.get().toString());

        Hyprctl.Run timeout = hyprctl.run("wait", "network/front", "--for=condition=Ready", "--timeout=2s");
        assertEquals(1, timeout.exitCode(), timeout.toString());
        assertTrue(timeout.stderr().contains("timed out"), timeout.toString());

        Hyprctl.Run missing = hyprctl.run("get", "volume", "data");
        assertEquals(1, missing.exitCode());
        assertEquals(2, hyprctl.run("get").exitCode(), "usage error");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            yaml-syntax       | 'apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: [oops\n'                                    | :5:1: YAML syntax error
            wrong-type        | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: lots\n'                 | :6:12: Volume/v: spec.sizeMiB
            unknown-field     | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: 1\n  colour: red\n'    | :7:3: Volume/v: spec.colour
            bad-cidr          | 'apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: n\nspec:\n  subnet: 10.1.0.0/33\n'          | :6:11: Network/n: spec.subnet
            bad-ip            | 'apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: n\nspec:\n  subnet: 10.1.0.0/24\n  gateway: 10.1.0.999\n' | :7:12: Network/n: spec.gateway
            missing-name      | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  labels: {}\nspec:\n  sizeMiB: 1\n'                | :4:3: Volume/: metadata.name: required
            invalid-name      | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: Bad_Name\nspec:\n  sizeMiB: 1\n'            | :4:9: Volume/Bad_Name: metadata.name
            negative-size     | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: -5\n'                   | :6:12: Volume/v: spec.sizeMiB
            absurd-size       | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: 99999999999\n'          | :6:12: Volume/v: spec.sizeMiB
            duplicate         | 'apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: 1\n---\napiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: 2\n' | :8:1: Volume/v: duplicate object
            unknown-kind      | 'apiVersion: hypr.dev/v1alpha1\nkind: Pod\nmetadata:\n  name: p\n'                                             | :2:7
            unknown-version   | 'apiVersion: hypr.dev/v9\nkind: Volume\nmetadata:\n  name: v\nspec:\n  sizeMiB: 1\n'                          | :1:13
            empty             | ''                                                                                                             | :1:1
            """)
    void badInputIsRejectedWithItsPositionAndChangesNothing(String name, String content, String expected) throws Exception {
        long before = revision();
        Path good = write(name + "-ok.yaml", network("ok-" + name, "10.20.0.0/24"));
        Path bad = write(name + ".yaml", content.replace("\\n", "\n"));
        Hyprctl.Run r = hyprctl.run("apply", "-f", good.toString(), "-f", bad.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains(bad + expected), "expected \"" + bad + expected + "\" in\n" + r);
        assertEquals(before, revision(), "nothing stored");
        assertEquals(0, hyprctl.run("version").exitCode(), "hyprd still answers");
    }

    @Test
    void binaryGarbageAndHugeDocumentsAreRejected() throws Exception {
        long before = revision();
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        Path bin = dir.resolve("garbage.yaml");
        Files.write(bin, garbage);
        Hyprctl.Run r = hyprctl.run("apply", "-f", bin.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains(bin + ":"), r.toString());
        assertTrue(!r.stderr().contains("Exception"), "no stack trace: " + r);

        String huge = "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: huge\n  annotations:\n    blob: "
                + "x".repeat(10 * 1024 * 1024) + "\nspec:\n  sizeMiB: 1\n";
        Path big = write("huge.yaml", huge);
        Hyprctl.Run h = hyprctl.run("apply", "-f", big.toString());
        assertEquals(1, h.exitCode(), h.stderr());
        assertTrue(h.stderr().contains("huge.yaml:") && h.stderr().contains("too large"), h.stderr().substring(0, Math.min(500, h.stderr().length())));
        assertEquals(before, revision());

        Hyprctl.Run stdin = hyprctl.runWithInput("kind: [\n".getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");
        assertEquals(1, stdin.exitCode(), stdin.toString());
    }

    @Test
    void syncDryRunReportsButChangesNothingThenSyncApplies() throws Exception {
        Path source = dir.resolve("gitops");
        Files.createDirectories(source);
        Files.writeString(source.resolve("net.yaml"), network("synced", "10.40.0.0/24"));
        long before = revision();
        Hyprctl.Run dry = hyprctl.run("sync", source.toString(), "--name", "team", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertTrue(dry.stdout().contains("network/synced created (dry run)"), dry.toString());
        assertEquals(before, revision(), "a dry run writes nothing");

        Hyprctl.Run real = hyprctl.run("sync", source.toString(), "--name", "team");
        assertEquals(0, real.exitCode(), real.toString());
        Hyprctl.Run labelled = hyprctl.run("get", "networks", "-l", "hypr.dev/sync=team", "-o", "name");
        assertEquals("network/synced\n", labelled.stdout(), labelled.toString());
    }

    @Test
    void staleResourceVersionIsAConflict() throws Exception {
        Path f = write("conflict.yaml", network("conflicted", "10.30.0.0/24"));
        assertEquals(0, hyprctl.run("apply", "-f", f.toString()).exitCode());
        assertEquals(0, hyprctl.run("apply", "-f", write("conflict2.yaml", network("conflicted", "10.30.1.0/24")).toString()).exitCode());
        long before = revision();
        Path stale = write("stale.yaml", network("conflicted", "10.30.2.0/24").replace("metadata:\n", "metadata:\n  resourceVersion: \"1\"\n"));
        Hyprctl.Run r = hyprctl.run("apply", "-f", stale.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("stale.yaml:1:1: Network/conflicted") && r.stderr().contains("modified"), r.toString());
        assertEquals(before, revision());
    }
}
