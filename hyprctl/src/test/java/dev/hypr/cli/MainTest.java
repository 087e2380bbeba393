package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private final CliHarness cli;

    MainTest() throws Exception {
        cli = new CliHarness();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void usageErrorsExitTwo() {
        CliHarness.Result unknownOption = cli.run("get", "--bogus", "vm");
        assertEquals(2, unknownOption.code());
        assertTrue(unknownOption.err().startsWith("error: Unknown option: '--bogus'"), unknownOption.err());
        assertTrue(unknownOption.err().contains("See 'hyprctl get --help' for usage."));
        assertEquals(2, cli.run("frobnicate").code());
        assertEquals(2, cli.run().code());
        assertEquals(2, cli.run("get").code());
        assertEquals(2, cli.run("get", "vm", "-o", "xml").code());
        assertEquals(2, cli.run("wait", "vm/web", "--for=sometime").code());
        assertEquals(2, cli.run("wait", "vm/web", "--for=condition=Ready", "--timeout=soon").code());
        // hyprctl may open its connection speculatively while parsing (EarlyStart); a usage error
        // must still never reach hyprd with a request
        assertEquals(List.of(), cli.hypr.requests, "usage errors never send hyprd a request");
    }

    @Test
    void helpExitsZero() {
        CliHarness.Result r = cli.run("get", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: hyprctl get"));
        assertEquals(0, cli.run("help", "apply").code());
    }

    @Test
    void unknownKindIsAnError() {
        CliHarness.Result r = cli.run("get", "pods");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: unknown kind \"pods\""), r.err());
    }

    @Test
    void unavailableDaemonSaysSo() {
        cli.hypr.failWith = Status.UNAVAILABLE; // as the transport reports a daemon that is down
        CliHarness.Result r = cli.run("--socket", "/tmp/nowhere.sock", "get", "vm");
        assertEquals(1, r.code());
        assertEquals("error: cannot reach hyprd at /tmp/nowhere.sock: is it running?\n", r.err());
        assertFalse(r.err().contains("Exception"));
    }

    @Test
    void socketOptionAfterSubcommandAndEnvironment() {
        cli.run("get", "vm", "--socket", "/tmp/a.sock");
        assertEquals("/tmp/a.sock", cli.lastSocket);
        cli.env.put("HYPR_SOCKET", "/tmp/env.sock");
        cli.run("get", "vm");
        assertEquals("/tmp/env.sock", cli.lastSocket);
        cli.run("--socket", "/tmp/flag.sock", "get", "vm");
        assertEquals("/tmp/flag.sock", cli.lastSocket);
    }

    @Test
    void socketResolutionOrder() {
        assertEquals("/f", DaemonConnection.resolveSocket("/f", Map.of("HYPR_SOCKET", "/e"), true));
        assertEquals("/e", DaemonConnection.resolveSocket(null, Map.of("HYPR_SOCKET", "/e"), true));
        assertEquals("/run/hypr/hypr.sock", DaemonConnection.resolveSocket(null,
                Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), true));
        assertEquals("/run/user/1000/hypr/hypr.sock", DaemonConnection.resolveSocket(null,
                Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), false));
    }

    @Test
    void serverErrorsAreOneLineWithoutStackTrace() {
        cli.hypr.failWith = Status.FAILED_PRECONDITION.withDescription("network default is being deleted");
        CliHarness.Result r = cli.run("get", "vm");
        assertEquals(1, r.code());
        assertEquals("error: network default is being deleted\n", r.err());
        cli.hypr.failWith = Status.INTERNAL;
        r = cli.run("get", "vm");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void debugPrintsStackTrace() {
        cli.env.put("HYPR_DEBUG", "1");
        cli.hypr.failWith = Status.INTERNAL.withDescription("boom");
        CliHarness.Result r = cli.run("get", "vm");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("StatusRuntimeException"), r.err());
    }

    @Test
    void versionShowsClientAndServer() {
        CliHarness.Result r = cli.run("version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Client Version: "), r.out());
        assertTrue(r.out().contains("Server Version: 9.9.9"), r.out());
        assertEquals(0, cli.run("version", "--client").code());
    }

    @Test
    void versionWithoutDaemonStillPrintsClient() {
        cli.hypr.failWith = Status.UNAVAILABLE;
        CliHarness.Result r = cli.run("version");
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("Client Version: "));
        assertTrue(r.err().contains("cannot reach hyprd"));
    }

    @Test
    void completionScriptsNeedNoDaemon() {
        CliHarness.Result bash = cli.run("completion", "bash");
        assertEquals(0, bash.code());
        assertTrue(bash.out().contains("complete -F"), bash.out().substring(0, 200));
        assertTrue(bash.out().contains("vms"), "kind names are completion candidates");
        CliHarness.Result zsh = cli.run("completion", "zsh");
        assertEquals(0, zsh.code());
        assertTrue(zsh.out().startsWith("#compdef hyprctl"));
        assertEquals(2, cli.run("completion", "fish").code());
        assertNull(cli.lastSocket);
    }

    @Test
    void onlyTheInvokedCommandIsBuilt() {
        assertEquals("get", Main.commandName("--socket", "/x", "get", "vm"));
        assertEquals("get", Main.commandName("--socket=/x", "get"));
        assertNull(Main.commandName("-h"));
        assertNull(Main.commandName());
        assertEquals(1, Main.commandLine(new Main(null), "get", "vm").getSubcommands().size());
        // help and unknown commands get the whole tree
        for (String[] args : new String[][] {{"help", "get"}, {"nonsense"}}) {
            var all = Main.commandLine(new Main(null), args).getSubcommands().keySet();
            assertTrue(all.containsAll(java.util.List.of("apply", "get", "delete", "sync", "version")), all.toString());
        }
    }
}
