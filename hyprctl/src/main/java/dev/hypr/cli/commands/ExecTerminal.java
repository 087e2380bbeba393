package dev.hypr.cli.commands;

import dev.hypr.api.host.HostProgram;
import dev.hypr.cli.Terminals;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal in raw mode for {@code exec -t}: keys (Ctrl-C included) go to the
 * guest's pty instead of being handled here. Done with stty through /bin/sh because the JDK
 * has no termios API; the saved settings are restored on close and by a shutdown hook.
 */
final class ExecTerminal implements AutoCloseable {
    private final String saved;
    private final Thread restoreOnExit;

    private ExecTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = new Thread(this::restore, "restore tty");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    /** Raw mode on the controlling terminal, or empty when there is none (stdin redirected). */
    static Optional<ExecTerminal> enterRawMode() {
        if (!Terminals.isTerminal()) {
            return Optional.empty();
        }
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("raw -echo").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ExecTerminal(saved.get().trim()));
    }

    /** Columns and rows of the controlling terminal ({@code stty size} prints "rows cols"). */
    static int[] size() {
        String[] rc = stty("size").orElse("24 80").trim().split("\\s+");
        try {
            return new int[] {Integer.parseInt(rc[1]), Integer.parseInt(rc[0])};
        } catch (RuntimeException e) {
            return new int[] {80, 24};
        }
    }

    /** Calls {@code onResize} on SIGWINCH, where the JDK lets us listen for it. */
    static void onResize(Runnable onResize) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> onResize.run());
        } catch (Throwable unsupported) {
            // no SIGWINCH here: the guest keeps the starting size
        }
    }

    private static Optional<String> stty(String args) {
        try {
            List<String> cmd = new ArrayList<>(List.of(HostProgram.STTY.program()));
            cmd.addAll(List.of(args.trim().split("\\s+")));
            // stty acts on its standard input: the controlling terminal, whatever hyprctl's stdin is
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void restore() {
        stty(saved);
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
