package dev.hypr.controller.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A VM's workload fails, hyprd is killed -9 and started again: describe and events still say why. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EventsPersistIT {
    private static final Path ROOTFS = HyprdProcess.root().resolve("guest/out/quickstart-rootfs.squashfs");
    private static final String WHY = "the workload exited with code 3";

    @TempDir
    Path tmp;

    @Test
    void eventsFromBeforeAKill9AreShownAfterTheRestart() throws Exception {
        assertTrue(Files.exists(ROOTFS) && Files.exists(HyprdProcess.root().resolve("kernel/out/vmlinux")),
                "guest artifacts missing: run scripts/install-deps.sh (kernel/out/vmlinux, guest/out/quickstart-rootfs.squashfs)");
        try (HyprdProcess hyprd = HyprdProcess.start(tmp.resolve("home"))) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), tmp);
            Path vm = tmp.resolve("failing.yaml");
            Files.writeString(vm, """
                    apiVersion: hypr.dev/v1alpha1
                    kind: VM
                    metadata:
                      name: failing
                    spec:
                      rootfs: %s
                      command: ["/bin/sh", "-c", "echo giving up; exit 3"]
                      memoryMiB: 128
                      network: none
                      restartPolicy: Never
                    """.formatted(ROOTFS));
            Hyprctl.Run applied = hyprctl.run("apply", "-f", vm.toString());
            assertEquals(0, applied.exitCode(), applied.toString());
            String before = awaitDescribeContains(hyprctl, WHY, Duration.ofSeconds(90));
            // kill -9 right after the event is visible: the writer thread has had milliseconds
            hyprd.kill9();

            hyprd.launch();
            String after = hyprctl.run("describe", "vm", "failing").stdout();
            assertTrue(after.contains(WHY), "describe after the restart:\n" + after + "\nbefore it:\n" + before);
            assertTrue(after.contains("Booted"), after);
            String events = hyprctl.run("events", "vm/failing").stdout();
            assertTrue(events.contains(WHY) && events.contains("Booted"), events);
            String all = hyprctl.run("events").stdout();
            assertTrue(all.contains(WHY), all);
            hyprctl.run("delete", "vm", "failing", "--wait");
        }
    }

    private static String awaitDescribeContains(Hyprctl hyprctl, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = hyprctl.run("describe", "vm", "failing").stdout();
            if (last.contains(text)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("describe never showed '" + text + "':\n" + last);
    }
}
