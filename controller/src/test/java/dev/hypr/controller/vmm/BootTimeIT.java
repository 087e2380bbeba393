package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Start-of-QEMU to Kestrel's "workload started", median of -Dhypr.boots (default 3) boots. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BootTimeIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
    }

    @TempDir
    Path tmp;

    @Test
    void bootToWorkloadStarted() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        QemuDriver driver = new QemuDriver(tmp.resolve("state"));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("hypr.boots", 3); i++) {
            VmLaunchSpec spec = new VmLaunchSpec("boot" + i, tmp.resolve("boot" + i), guest.kernel(), guest.initramfs(),
                    guest.rootfs(), List.of(), 1, 256, List.of(), GuestConfig.workload("sleep", "1000"), NetworkMode.NONE);
            VmHandle vm = driver.create(spec);
            CompletableFuture<Long> started = new CompletableFuture<>();
            long t0 = System.nanoTime();
            driver.start(vm);
            try (AgentConnection agent = AgentConnection.open(vm.agentSocket(), new AgentListener() {
                @Override
                public void onWorkloadStarted(int pid) {
                    started.complete(System.nanoTime());
                }
            })) {
                millis.add(TimeUnit.NANOSECONDS.toMillis(started.get(60, TimeUnit.SECONDS) - t0));
                driver.stop(vm, Duration.ofSeconds(10), java.util.Optional.of(agent));
            } finally {
                driver.delete(vm);
            }
        }
        Collections.sort(millis);
        long median = millis.get(millis.size() / 2);
        System.out.printf("boot to workload started (%s): median %d ms, all %s%n", driver.accelerator(), median, millis);
        assertTrue(median < 30_000, "median boot " + median + " ms");
    }
}
