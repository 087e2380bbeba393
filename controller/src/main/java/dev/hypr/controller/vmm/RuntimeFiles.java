package dev.hypr.controller.vmm;

import dev.hypr.controller.config.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** File chores shared by the drivers: the runtime directory, pid and start-time files, waiting for sockets. */
public final class RuntimeFiles {
    private RuntimeFiles() {}

    public static void writeAtomically(Path file, String content) {
        writeAtomically(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, OwnerOnly.fileAttribute()); // 0600 under any umask: runtime files may carry secrets
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates file 0600 (or makes an existing one 0600) for a VMM to write into: its umask may differ from hyprd's. */
    public static void ownerOnly(Path file) {
        try {
            OwnerOnly.file(file);
            Files.setPosixFilePermissions(file, OwnerOnly.FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CONFIG payload hyprd sends when Kestrel connects (AgentConnection); drivers write it (0600) at create. */
    public static void writeWorkloadConfig(VmHandle handle, GuestConfig guest) {
        byte[] config;
        try {
            config = guest.encodeWorkload();
        } catch (IllegalArgumentException e) {
            throw new VmmException(e.getMessage());
        }
        writeAtomically(handle.workloadConfigFile(), config);
    }

    public static void writeCommand(VmHandle handle, List<String> command) {
        if (command.stream().anyMatch(a -> a.contains("\n"))) throw new VmmException("newline in a VMM argument");
        writeAtomically(handle.commandFile(), String.join("\n", command) + "\n");
    }

    public static List<String> readCommand(VmHandle handle) {
        try {
            return Files.readAllLines(handle.commandFile());
        } catch (IOException e) {
            throw new VmmException("VM " + handle.name() + " was never created: " + handle.commandFile() + " is missing", e);
        }
    }

    public static Optional<Long> readLong(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid and start time recorded for this handle, if that process is still the one we started. */
    public static Optional<VmProcessInfo> observe(VmHandle handle) {
        Optional<Long> pid = readLong(handle.pidFile());
        Optional<Long> start = readLong(handle.startTimeFile());
        if (pid.isEmpty() || start.isEmpty() || !ProcessIdentity.isSame(pid.get(), start.get())) return Optional.empty();
        return Optional.of(new VmProcessInfo(pid.get(), start.get()));
    }

    /** Records the identity of a freshly started VMM (pid file written by the VMM or its launcher). */
    public static VmProcessInfo recordStart(VmHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = readLong(handle.pidFile());
            Optional<Long> ticks = pid.flatMap(ProcessIdentity::startTicks);
            if (ticks.isPresent()) {
                writeAtomically(handle.startTimeFile(), ticks.get() + "\n");
                return new VmProcessInfo(pid.get(), ticks.get());
            }
            sleep(5);
        }
        throw new VmmException("VMM for " + handle.name() + " wrote no pid file within " + timeout + tail(handle.stderrFile()));
    }

    public static void awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) throw new VmmException(file + " did not appear within " + timeout);
            sleep(5);
        }
    }

    public static boolean awaitExit(long pid, Duration timeout) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) return true;
        try {
            p.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.get().isAlive();
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new VmmException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of a VMM's stderr, to explain a failed start in a condition message. */
    public static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted");
        }
    }
}
