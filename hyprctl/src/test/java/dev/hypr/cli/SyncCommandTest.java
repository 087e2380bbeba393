package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.grpc.ApplyRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {
    private final CliHarness cli;

    @TempDir
    Path dir;

    SyncCommandTest() throws Exception {
        cli = new CliHarness();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void dryRunReportsAndSendsOnlyDryRunApplies() throws Exception {
        Fixtures.write(dir, "net.yaml", Fixtures.NET_YAML);
        CliHarness.Result r = cli.run("sync", dir.toString(), "--name", "ops", "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertEquals("network/backend created (dry run)\n", r.out());
        assertTrue(cli.hypr.requestsOf(ApplyRequest.class).stream().allMatch(ApplyRequest::getDryRun));

        r = cli.run("sync", dir.toString(), "--name", "ops");
        assertEquals("network/backend created\n", r.out());
        r = cli.run("sync", dir.toString(), "--name", "ops");
        assertEquals("network/backend unchanged\n", r.out(), r.err());
    }

    @Test
    void invalidFilePrintsEveryErrorAndAppliesNothing() throws Exception {
        Fixtures.write(dir, "net.yaml", Fixtures.NET_YAML);
        Fixtures.write(dir, "bad.yaml", "kind: [\n");
        CliHarness.Result r = cli.run("sync", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.yaml:"), r.err());
        assertEquals(0, cli.hypr.requestsOf(ApplyRequest.class).size());
    }
}
