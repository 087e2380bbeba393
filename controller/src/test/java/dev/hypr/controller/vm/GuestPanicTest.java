package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.model.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest kernel panic on the console is reported as such; out of memory says to raise memoryMiB. */
class GuestPanicTest {
    /** The Debian guest kernel's console at memoryMiB 64 (measured under QEMU with the quickstart VM). */
    static final String OOM_CONSOLE = """
            [    1.929154] PCI: Fatal: No config space access function found
            [    2.587296] Kernel panic - not syncing: System is deadlocked on memory
            [    2.590582] CPU: 0 PID: 9 Comm: kworker/u2:0 Not tainted 6.1.0-57-cloud-amd64 #1  Debian 6.1.192-3
            [    2.590582]  panic+0x118/0x2f4
            [    2.590582]  out_of_memory.cold+0x2f/0x7e
            [    2.590582] Kernel Offset: disabled
            """;

    @TempDir
    Path tmp;

    @Test
    void outOfMemoryIsToldApartFromOtherPanics() {
        GuestPanic oom = GuestPanic.of(OOM_CONSOLE).orElseThrow();
        assertEquals(GuestPanic.OUT_OF_MEMORY, oom.reason());
        assertEquals("Kernel panic - not syncing: System is deadlocked on memory", oom.line());
        assertTrue(oom.message(64).contains("spec.memoryMiB 64") && oom.message(64).contains("raise spec.memoryMiB"), oom.message(64));

        GuestPanic initKilled = GuestPanic.of("[ 9.1] Out of memory: Killed process 1 (kestrel)\n"
                + "[ 9.2] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n").orElseThrow();
        assertEquals(GuestPanic.OUT_OF_MEMORY, initKilled.reason());

        GuestPanic other = GuestPanic.of("[ 1.0] Kernel panic - not syncing: VFS: Unable to mount root fs\n").orElseThrow();
        assertEquals(GuestPanic.KERNEL_PANIC, other.reason());
        assertTrue(GuestPanic.of("[ 1.0] kestrel starting\n").isEmpty());
    }

    @Test
    void theConsoleIsScannedAndTheCrashLoopNamesTheCause() throws Exception {
        Path console = Files.writeString(tmp.resolve("console.log"), "x".repeat(200_000) + "\n" + OOM_CONSOLE);
        GuestPanic panic = GuestPanic.scan(console).orElseThrow();
        VmRuntimeDir dir = new VmRuntimeDir(Files.createDirectories(tmp.resolve("web")));
        dir.recordPanic(panic);
        assertEquals(Optional.of(panic), dir.panic(), "kept in the runtime directory (the next boot overwrites the console)");

        VmSpec spec = new VmSpec(null, "/r.squashfs", null, List.of("sh"), null, null, null, null, null, 64, null, null, null,
                "Always", null, null, null, null);
        VmStatusBuilder b = VmStatusBuilder.from(Json.parseObject("{\"metadata\":{\"name\":\"web\",\"generation\":1}}"), Instant.now());
        b.crashLoop(Optional.empty(), Duration.ofSeconds(2), dir.panic());
        ObjectNode s = b.build(VmObserved.nothing(), dir, null, spec);
        JsonNode ready = s.path("conditions").path(0);
        assertEquals("Pending", s.path("phase").asText());
        assertEquals("GuestOutOfMemory", ready.path("reason").asText());
        assertTrue(ready.path("message").asText().contains("raise spec.memoryMiB")
                && ready.path("message").asText().contains("back-off 2s"), ready.toString());
    }
}
