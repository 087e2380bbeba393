package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.vmm.chv.ChvDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real cloud-hypervisor: runs only where its binary and a usable /dev/kvm exist (never in this project's CI). */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChvVmIT {
    @TempDir
    Path tmp;

    @Test
    void bootsExecsAndStops() throws Exception {
        ChvDriver driver = new ChvDriver();
        if (!driver.isUsable()) {
            String reason = "cloud-hypervisor integration test skipped: needs the cloud-hypervisor binary on PATH and read/write /dev/kvm";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        GuestArtifacts guest = GuestArtifacts.require();
        VmHandle vm = driver.create(new VmLaunchSpec("chv", tmp.resolve("chv"), guest.kernel(), guest.initramfs(), guest.rootfs(),
                List.of(), 1, 256, List.of(), GuestConfig.workload("sleep", "1000"), NetworkMode.NONE));
        try {
            driver.start(vm);
            try (AgentConnection agent = AgentConnection.openHybridVsock(vm.agentSocket(), AgentListener.NONE)) {
                agent.awaitConnected(Duration.ofSeconds(30));
                assertEquals("hi\n", QemuVmIT.run(agent, ExecRequest.of("echo", "hi")).stdout());
                driver.stop(vm, Duration.ofSeconds(20), Optional.of(agent));
            }
            assertTrue(driver.observe(vm).isEmpty());
        } finally {
            driver.delete(vm);
        }
    }
}
