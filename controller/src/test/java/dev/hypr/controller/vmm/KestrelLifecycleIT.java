package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.agent.ExecSession;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kestrel's workload lifecycle under real QEMU: restart policy, VM end on exit, signals, tty exec. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KestrelLifecycleIT {
    @BeforeAll
    static void guestArtifacts() {
        GuestArtifacts.require(); // missing ones fail the class at once, naming the command that builds them
    }

    @TempDir
    Path tmp;
    private final QemuDriver driver = new QemuDriver(Path.of(System.getProperty("java.io.tmpdir"), "hypr-it-state"));
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private VmHandle vm;
    private AgentConnection agent;

    private void boot(GuestConfig config) {
        GuestArtifacts guest = GuestArtifacts.require();
        vm = driver.create(new VmLaunchSpec("life", tmp.resolve("vm"), guest.kernel(), guest.initramfs(), guest.rootfs(),
                List.of(), 1, 256, List.of(), config, NetworkMode.NONE));
        driver.start(vm);
        agent = AgentConnection.open(vm.agentSocket(), new AgentListener() {
            @Override
            public void onWorkloadStarted(int pid) {
                events.add("started");
            }

            @Override
            public void onWorkloadExited(int code, int signal) {
                events.add("exited " + code + " " + signal);
            }

            @Override
            public void onShutdown(String reason) {
                events.add("shutdown");
            }
        });
    }

    private String next() throws InterruptedException {
        String e = events.poll(60, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no agent event within 60 s; console: " + console());
        return e;
    }

    private String console() {
        try {
            return Files.readString(vm.consoleLog());
        } catch (Exception e) {
            return "(none)";
        }
    }

    @AfterEach
    void cleanup() {
        if (agent != null) agent.close();
        if (vm != null) driver.delete(vm);
    }

    @Test
    void onFailureRestartsInTheGuestAndCountsRestarts() throws Exception {
        boot(GuestConfig.workload("sh", "-c", "exit 3").withRestartPolicy(GuestConfig.RestartPolicy.ON_FAILURE));
        assertEquals(List.of("started", "exited 3 0", "started", "exited 3 0"), List.of(next(), next(), next(), next()));
        agent.dropConnection();
        assertTrue(agent.awaitConnected(Duration.ofSeconds(10)).restarts() >= 2, "HELLO carries the restart count");
    }

    @Test
    void theVmEndsWhenTheWorkloadEndsUnderRestartNever() throws Exception {
        boot(GuestConfig.workload("sh", "-c", "sleep 1; exit 0"));
        long pid = driver.observe(vm).orElseThrow().pid();
        assertEquals(List.of("started", "exited 0 0", "shutdown"), List.of(next(), next(), next()));
        assertTrue(RuntimeFiles.awaitExit(pid, Duration.ofSeconds(20)), "guest reboot ends QEMU (-no-reboot)");
        assertTrue(driver.observe(vm).isEmpty());
    }

    @Test
    void sigtermToTheWorkloadIsReportedAsSignal() throws Exception {
        boot(GuestConfig.workload("sleep", "1000"));
        assertEquals("started", next());
        agent.awaitConnected(Duration.ofSeconds(10));
        agent.signalWorkload(15);
        assertEquals("exited 143 15", next());
    }

    @Test
    void ttyExecGetsATerminal() throws Exception {
        boot(GuestConfig.workload("sleep", "1000"));
        assertEquals("started", next());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecSession s = agent.exec(ExecRequest.of("sh", "-c", "tty; stty size; exit 4").withTty(100, 30), out::writeBytes, b -> { });
        assertEquals(4, s.exitCode().get(30, TimeUnit.SECONDS));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("/dev/pts/") && text.contains("30 100"), text);
    }
}
