package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
    private final CliHarness cli;

    @TempDir
    Path dir;

    ApplyCommandTest() throws Exception {
        cli = new CliHarness();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void createdThenUnchangedThenConfigured() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML + "---\n" + Fixtures.NET_YAML);
        CliHarness.Result r = cli.run("apply", "-f", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web created\nnetwork/backend created\n", r.out());

        r = cli.run("apply", "-f", f.toString());
        assertEquals("vm/web unchanged\nnetwork/backend unchanged\n", r.out());

        Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML.replace("cpus: 2", "cpus: 4"));
        r = cli.run("apply", "-f", f.toString());
        assertEquals("vm/web configured\n", r.out());
    }

    @Test
    void sendsOneRequestWithDefaultsAndSources() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML + "---\n" + Fixtures.NET_YAML);
        cli.run("apply", "-f", f.toString());
        assertEquals(1, cli.hypr.requestsOf(ApplyRequest.class).size());
        ApplyRequest req = cli.hypr.requestsOf(ApplyRequest.class).get(0);
        assertEquals(2, req.getObjectsCount());
        assertEquals(f + ":1:1", req.getObjects(0).getSource());
        var vm = Json.parseObject(req.getObjects(0).getJson());
        assertEquals("Always", vm.path("spec").path("restartPolicy").asText(), "defaults applied before sending");
    }

    @Test
    void dryRunSaysSoAndStoresNothing() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        CliHarness.Result r = cli.run("apply", "-f", f.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web created (dry run)\n", r.out());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).get(0).getDryRun());
        assertTrue(cli.hypr.objects.isEmpty());
    }

    @Test
    void everyLocalErrorIsPrintedAndNothingIsSent() throws Exception {
        Fixtures.write(dir, "a.yaml", Fixtures.WEB_YAML.replace("cpus: 2", "cpus: many"));
        Fixtures.write(dir, "b.yaml", Fixtures.NET_YAML.replace("10.88.0.0/24", "10.88.0.0/99"));
        Fixtures.write(dir, "c.yaml", "kind: [unclosed\n");
        CliHarness.Result r = cli.run("apply", "-f", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("a.yaml:"), r.err());
        assertTrue(r.err().contains("c.yaml:"), r.err());
        assertTrue(r.err().strip().endsWith("nothing was applied"), r.err());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).isEmpty());
        assertEquals(List.of(), cli.hypr.requests, "nothing is sent");
    }

    @Test
    void validationErrorsAcrossFilesAreAllReported() throws Exception {
        Fixtures.write(dir, "a.yaml", Fixtures.WEB_YAML.replace("cpus: 2", "cpus: many"));
        Fixtures.write(dir, "b.yaml", Fixtures.NET_YAML.replace("10.88.0.0/24", "10.88.0.0/99"));
        CliHarness.Result r = cli.run("apply", "-f", dir.resolve("a.yaml").toString(), "-f",
                dir.resolve("b.yaml").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("a.yaml:") && r.err().contains("VM/web: spec.cpus"), r.err());
        assertTrue(r.err().contains("b.yaml:") && r.err().contains("Network/backend: spec.subnet"), r.err());
        assertTrue(r.err().contains("error: 2 errors; nothing was applied"), r.err());
    }

    @Test
    void readsStandardInput() {
        cli.stdin = Fixtures.WEB_YAML;
        CliHarness.Result r = cli.run("apply", "-f", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals("vm/web created\n", r.out());
        assertEquals("<stdin>:1:1", cli.hypr.requestsOf(ApplyRequest.class).get(0).getObjects(0).getSource());
    }

    @Test
    void recursiveDirectories() throws Exception {
        Fixtures.write(dir, "top.yaml", Fixtures.WEB_YAML);
        Fixtures.write(dir, "sub/net.yaml", Fixtures.NET_YAML);
        assertEquals("vm/web created\n", cli.run("apply", "-f", dir.toString()).out());
        assertEquals("network/backend created\nvm/web unchanged\n", cli.run("apply", "-R", "-f", dir.toString()).out());
    }

    @Test
    void serverRejectionPrintsEveryLine() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        cli.hypr.failWith = Status.INVALID_ARGUMENT.withDescription(
                "web.yaml:9:3: VM/web: spec.network: network \"backend\" does not exist\n"
                        + "web.yaml:1:1: VM/web: image is being deleted");
        CliHarness.Result r = cli.run("apply", "-f", f.toString());
        assertEquals(1, r.code());
        assertEquals("web.yaml:9:3: VM/web: spec.network: network \"backend\" does not exist\n"
                + "web.yaml:1:1: VM/web: image is being deleted\n"
                + "error: nothing was applied\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void conflictIsReported() throws Exception {
        Path f = Fixtures.write(dir, "web.yaml", Fixtures.WEB_YAML);
        cli.hypr.failWith = Status.ABORTED.withDescription("VM/web: resourceVersion 3 is stale (now 5)");
        CliHarness.Result r = cli.run("apply", "-f", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: conflict: VM/web: resourceVersion 3 is stale"), r.err());
    }

    @Test
    void missingFileAndMissingFlag() {
        CliHarness.Result r = cli.run("apply", "-f", dir.resolve("nope.yaml").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertEquals(2, cli.run("apply").code());
    }

    @Test
    void everyExampleAppliesAndReadsBackAsYaml() {
        Path examples = Path.of(System.getProperty("hypr.root", "..")).resolve("examples");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(examples), "examples/ present");
        // examples/compose/ holds compose projects, not objects: ComposeExamplesTest translates them.
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("apply", "-R"));
        for (String dir : new String[] {"gitops", "objects", "quickstart"}) {
            args.addAll(java.util.List.of("-f", examples.resolve(dir).toString()));
        }
        CliHarness.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().allMatch(l -> l.endsWith(" created") || l.endsWith(" unchanged")), r.out());
        CliHarness.Result yaml = cli.run("get", "all", "-o", "yaml");
        var read = dev.hypr.api.codec.ManifestReader.read("all.yaml",
                yaml.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(read.ok(), read.errors().toString());
        assertEquals(cli.hypr.objects.size(), read.manifests().size());
    }
}
