package dev.hypr.controller.vm;

import dev.hypr.controller.vmm.HypervisorKind;
import dev.hypr.controller.vmm.RuntimeFiles;
import dev.hypr.controller.vmm.VmHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The controller's notes in a VM's runtime directory, beside the driver's files: which object
 * (uid) and spec the VMM was booted for, when, and how its last run ended. Files, not memory,
 * so a restarted hyprd knows all of it.
 */
final class VmRuntimeDir {
    private final Path dir;

    VmRuntimeDir(Path dir) {
        this.dir = dir;
    }

    Path path() {
        return dir;
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    String name() {
        return dir.getFileName().toString();
    }

    Optional<VmHandle> handle() {
        return read("hypervisor").map(h -> new VmHandle(name(), HypervisorKind.valueOf(h), dir));
    }

    void recordBoot(HypervisorKind hypervisor, String uid, String specHash, Instant at) {
        write("hypervisor", hypervisor.name());
        write("uid", uid);
        write("spec.hash", specHash);
        write("started.at", at.toString());
        delete("ended");
        delete("failure");
        delete("panic");
    }

    /** The guest kernel's panic that ended the last run ("REASON LINE"), read from the console before it is overwritten. */
    void recordPanic(GuestPanic panic) {
        write("panic", panic.reason() + " " + panic.line().replace('\n', ' '));
    }

    Optional<GuestPanic> panic() {
        return read("panic").map(s -> s.split(" ", 2)).filter(p -> p.length == 2).map(p -> new GuestPanic(p[0], p[1]));
    }

    /** Why the guest ended the last run, in its own words (Kestrel's "rootfs: ..." detail). */
    void recordFailure(String detail) {
        write("failure", detail);
    }

    Optional<String> failure() {
        return read("failure");
    }

    Optional<String> uid() {
        return read("uid");
    }

    Optional<String> specHash() {
        return read("spec.hash");
    }

    Optional<Instant> startedAt() {
        return read("started.at").map(Instant::parse);
    }

    /** "STOPPED", "COMPLETED 0", "CRASHED" … with the time it was noticed. */
    void recordEnding(VmObserved.Ending ending, Integer exitCode, Instant at) {
        write("ended", ending.name() + " " + (exitCode == null ? "-" : exitCode) + " " + at);
    }

    Optional<VmObserved.Ending> ending() {
        return read("ended").map(s -> VmObserved.Ending.valueOf(s.split(" ")[0]));
    }

    Optional<Integer> endingExitCode() {
        return read("ended").map(s -> s.split(" ")).filter(p -> p.length > 1 && !p[1].equals("-")).map(p -> Integer.parseInt(p[1]));
    }

    Optional<Instant> endedAt() {
        return read("ended").map(s -> s.split(" ")).filter(p -> p.length > 2).map(p -> Instant.parse(p[2]));
    }

    int consecutiveCrashes() {
        return read("crashes").map(Integer::parseInt).orElse(0);
    }

    void setConsecutiveCrashes(int n) {
        write("crashes", Integer.toString(n));
    }

    private Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(dir.resolve(file)).trim()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void write(String file, String value) {
        RuntimeFiles.writeAtomically(dir.resolve(file), value + "\n");
    }

    private void delete(String file) {
        try {
            Files.deleteIfExists(dir.resolve(file));
        } catch (IOException ignored) {
            // a stale marker is overwritten at the next ending
        }
    }
}
