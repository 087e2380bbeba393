package dev.hypr.controller.vmm;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.config.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One virtiofsd per shared host directory of a VM, kept beside the VMM in its runtime directory
 * ({@code virtiofs-N.cmd|.pid|.starttime|.sock|.log}) so a restarted hyprd finds them as it finds
 * the VMM: by pid plus start time. They are started before the VMM (which connects to their
 * sockets at startup) and stopped after it; a virtiofsd also exits by itself once its VMM is gone.
 *
 * <p>Options: {@code sandbox=namespace} (virtiofsd's default: its own mount, pid and net
 * namespaces, pivot_root into the shared directory, so a guest cannot reach outside it; the
 * recorded process forks once into the new pid namespace and its child dies with it, PDEATHSIG);
 * {@code cache=auto} (the guest caches metadata for 1 s: host edits show up within a second,
 * without the cost of {@code cache=none}). A read-only share runs in a private mount namespace
 * where the directory is bind-mounted read-only first ({@code unshare} + {@code mount --bind -o ro}):
 * this virtiofsd has no read-only option, and the guest's MS_RDONLY alone could be remounted rw
 * by root in the guest. Nothing on these command lines is secret (paths and socket names).
 */
public final class VirtiofsDaemons {
    private static final String PREFIX = "virtiofs-";
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private VirtiofsDaemons() {
    }

    public static Path socket(VmHandle handle, int index) {
        return handle.runtimeDir().resolve(PREFIX + index + ".sock");
    }

    static Path commandFile(VmHandle handle, int index) {
        return handle.runtimeDir().resolve(PREFIX + index + ".cmd");
    }

    static Path pidFile(VmHandle handle, int index) {
        return handle.runtimeDir().resolve(PREFIX + index + ".pid");
    }

    static Path startTimeFile(VmHandle handle, int index) {
        return handle.runtimeDir().resolve(PREFIX + index + ".starttime");
    }

    static Path logFile(VmHandle handle, int index) {
        return handle.runtimeDir().resolve(PREFIX + index + ".log");
    }

    /**
     * The launch command of share {@code index}: setsid detaches it from hyprd's session (it
     * survives a hyprd crash, as the VMM does); sh records its pid, which exec keeps.
     */
    public static List<String> command(VmHandle handle, int index, VmShare share, Path virtiofsd) {
        List<String> cmd = new ArrayList<>(List.of(HostProgram.SETSID.program(), "-f",
                HostProgram.SH.program(), "-c", "echo $$ > \"$0\"; exec \"$@\"", pidFile(handle, index).toString()));
        if (share.readOnly()) {
            cmd.addAll(List.of(HostProgram.UNSHARE.program(), "--mount", "--propagation", "private",
                    HostProgram.SH.program(), "-c", HostProgram.MOUNT.program() + " --bind -o ro \"$0\" \"$0\" && exec \"$@\"",
                    share.hostDir().toString()));
        }
        cmd.addAll(List.of(virtiofsd.toString(), "-f", "--socket-path=" + socket(handle, index),
                "-o", "source=" + share.hostDir(), "-o", "sandbox=namespace", "-o", "cache=auto"));
        return cmd;
    }

    /** Writes one command file per share (create time) and drops those of a previous boot's extra shares. */
    public static void writeCommands(VmHandle handle, List<VmShare> shares, Path virtiofsd) {
        removeFiles(handle, f -> f.endsWith(".cmd"));
        for (int i = 0; i < shares.size(); i++) {
            List<String> cmd = command(handle, i, shares.get(i), virtiofsd);
            if (cmd.stream().anyMatch(a -> a.contains("\n"))) throw new VmmException("newline in a virtiofsd argument");
            RuntimeFiles.writeAtomically(commandFile(handle, i), String.join("\n", cmd) + "\n");
        }
    }

    /** How many shares the runtime directory holds commands for. */
    static int count(VmHandle handle) {
        int n = 0;
        while (Files.exists(commandFile(handle, n))) n++;
        return n;
    }

    /**
     * Starts every share's virtiofsd (stopping any left from an earlier boot first) and returns
     * once each listens on its socket, made 0600. On any failure the ones started are stopped.
     */
    public static void startAll(VmHandle handle) {
        stopAll(handle);
        int n = count(handle);
        try {
            for (int i = 0; i < n; i++) {
                start(handle, i);
            }
        } catch (RuntimeException e) {
            stopAll(handle);
            throw e;
        }
    }

    private static void start(VmHandle handle, int index) {
        List<String> cmd;
        try {
            cmd = Files.readAllLines(commandFile(handle, index));
        } catch (IOException e) {
            throw new VmmException("cannot read " + commandFile(handle, index) + ": " + e.getMessage(), e);
        }
        Path log = logFile(handle, index);
        RuntimeFiles.ownerOnly(log);
        try {
            Process launcher = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            launcher.waitFor(); // setsid -f returns at once; the daemon runs on in its own session
        } catch (IOException e) {
            throw new VmmException("cannot start virtiofsd for " + handle.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted while starting virtiofsd for " + handle.name());
        }
        long deadline = System.nanoTime() + SOCKET_TIMEOUT.toNanos();
        Path sock = socket(handle, index);
        Optional<VmProcessInfo> recorded = Optional.empty();
        while (!Files.exists(sock)) {
            if (recorded.isEmpty()) {
                recorded = RuntimeFiles.readLong(pidFile(handle, index))
                        .flatMap(pid -> ProcessIdentity.startTicks(pid).map(t -> new VmProcessInfo(pid, t)));
                recorded.ifPresent(p -> RuntimeFiles.writeAtomically(startTimeFile(handle, index), p.startTicks() + "\n"));
            }
            boolean died = recorded.isPresent() && !ProcessIdentity.isSame(recorded.get().pid(), recorded.get().startTicks());
            if (died || System.nanoTime() > deadline) {
                throw new VmmException("virtiofsd for " + handle.name() + " share " + index
                        + (died ? " exited" : " did not listen within " + SOCKET_TIMEOUT) + RuntimeFiles.tail(log));
            }
            RuntimeFiles.sleep(5);
        }
        if (recorded.isEmpty()) {
            RuntimeFiles.readLong(pidFile(handle, index)).flatMap(ProcessIdentity::startTicks)
                    .ifPresent(t -> RuntimeFiles.writeAtomically(startTimeFile(handle, index), t + "\n"));
        }
        try {
            Files.setPosixFilePermissions(sock, OwnerOnly.FILE); // virtiofsd makes it 0700; no one else may connect
        } catch (IOException e) {
            throw new VmmException("cannot restrict " + sock + ": " + e.getMessage(), e);
        }
    }

    /** The live virtiofsd processes of this VM (pid and start time still match what was recorded). */
    public static List<VmProcessInfo> observeAll(VmHandle handle) {
        List<VmProcessInfo> out = new ArrayList<>();
        for (int i = 0; i < Math.max(count(handle), recordedCount(handle)); i++) {
            observe(handle, i).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<VmProcessInfo> observe(VmHandle handle, int index) {
        Optional<Long> pid = RuntimeFiles.readLong(pidFile(handle, index));
        Optional<Long> start = RuntimeFiles.readLong(startTimeFile(handle, index));
        if (pid.isEmpty() || start.isEmpty() || !ProcessIdentity.isSame(pid.get(), start.get())) return Optional.empty();
        return Optional.of(new VmProcessInfo(pid.get(), start.get()));
    }

    private static int recordedCount(VmHandle handle) {
        int n = 0;
        while (Files.exists(pidFile(handle, n))) n++;
        return n;
    }

    /** Stops every recorded virtiofsd of this VM (SIGTERM, then SIGKILL) and removes its pid files and socket. */
    public static void stopAll(VmHandle handle) {
        for (int i = 0; i < Math.max(count(handle), recordedCount(handle)); i++) {
            observe(handle, i).flatMap(VmProcessInfo::process).ifPresent(p -> {
                p.destroy();
                if (!RuntimeFiles.awaitExit(p.pid(), STOP_GRACE)) {
                    p.destroyForcibly();
                    RuntimeFiles.awaitExit(p.pid(), Duration.ofSeconds(10));
                }
            });
        }
        removeFiles(handle, f -> f.endsWith(".pid") || f.endsWith(".starttime") || f.endsWith(".sock"));
    }

    private static void removeFiles(VmHandle handle, java.util.function.Predicate<String> which) {
        if (!Files.isDirectory(handle.runtimeDir())) return;
        try (Stream<Path> files = Files.list(handle.runtimeDir())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && which.test(name)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new VmmException("cannot clean virtiofsd files in " + handle.runtimeDir() + ": " + e.getMessage(), e);
        }
    }
}
