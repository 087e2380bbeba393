package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.agent.ExecRequest;
import dev.hypr.controller.agent.ExecSession;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Boots the quickstart rootfs under real QEMU (TCG here, KVM where usable) and drives it through Kestrel. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuVmIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    private QemuDriver driver;
    private VmHandle vm;
    private AgentConnection agent;
    private int httpPort;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> workloadExit = new CompletableFuture<>();
    private final StringBuffer workloadOutput = new StringBuffer();

    @BeforeAll
    void boot() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        driver = new QemuDriver(tmp.resolve("state"));
        httpPort = freePort();
        GuestConfig config = GuestConfig.workload("/bin/sh", "-c", "echo workload-says-hi; exec httpd -f -p 80 -h /www")
                .withHostname("quickstart")
                .withNetwork(NetworkMode.UserMode.GUEST_CIDR, NetworkMode.UserMode.GATEWAY, List.of(NetworkMode.UserMode.DNS));
        vm = driver.create(spec("quickstart", guest, config,
                new NetworkMode.UserMode(List.of(HostForward.tcp("127.0.0.1", httpPort, 80)))));
        driver.start(vm);
        agent = AgentConnection.open(vm.agentSocket(), new AgentListener() {
            @Override
            public void onWorkloadStarted(int pid) {
                started.complete(pid);
            }

            @Override
            public void onWorkloadExited(int code, int signal) {
                workloadExit.complete(code);
            }

            @Override
            public void onWorkloadOutput(OutputStream stream, byte[] data) {
                workloadOutput.append(new String(data, StandardCharsets.UTF_8));
            }
        });
    }

    @AfterAll
    void cleanup() {
        if (agent != null) agent.close();
        if (vm != null) driver.delete(vm);
    }

    @Test
    @Order(1)
    void agentReportsTheWorkloadStarted() throws Exception {
        int pid = started.get(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(pid > 1, "workload pid " + pid);
        assertTrue(driver.observe(vm).isPresent(), "QEMU is observed running");
        agent.ping().get(5, TimeUnit.SECONDS);
    }

    @Test
    @Order(2)
    void execEchoesAndPropagatesExitCode() throws Exception {
        assertEquals("hi\n", run(agent, ExecRequest.of("echo", "hi")).stdout);
        assertEquals(7, run(agent, ExecRequest.of("sh", "-c", "exit 7")).code);
        assertEquals("quickstart\n", run(agent, ExecRequest.of("hostname")).stdout);
        assertEquals(127, run(agent, ExecRequest.of("/no/such/command")).code);
    }

    @Test
    @Order(3)
    void execStdinReachesTheCommand() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecSession cat = agent.exec(ExecRequest.of("cat"), out::writeBytes, b -> { });
        cat.writeStdin("piped\n".getBytes(StandardCharsets.UTF_8));
        cat.closeStdin();
        assertEquals(0, cat.exitCode().get(20, TimeUnit.SECONDS));
        assertEquals("piped\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(4)
    void workloadStdoutArrives() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!workloadOutput.toString().contains("workload-says-hi") && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(workloadOutput.toString().contains("workload-says-hi"), "workload output: " + workloadOutput);
    }

    @Test
    @Order(5)
    void hostForwardServesThePage() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("hello from hypr\n", page.body());
    }

    @Test
    @Order(6)
    void hostForwardsCanBeAddedAndRemovedAtRuntime() throws Exception {
        int port = freePort();
        HostForward forward = HostForward.tcp("127.0.0.1", port, 80);
        driver.addHostForward(vm, forward);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(20)).build();
        assertEquals("hello from hypr\n", http.send(get, HttpResponse.BodyHandlers.ofString()).body());
        driver.removeHostForward(vm, forward);
        assertThrows(java.io.IOException.class, () -> http.send(get, HttpResponse.BodyHandlers.ofString()));
        assertThrows(VmmException.class, () -> driver.removeHostForward(vm, forward), "removing twice is reported");
    }

    @Test
    @Order(7)
    void aNewClientCanConnectAfterTheOldOneLeft() throws Exception {
        agent.close();
        agent = AgentConnection.open(vm.agentSocket(), AgentListener.NONE);
        var hello = agent.awaitConnected(Duration.ofSeconds(10));
        assertEquals("RUNNING", hello.workload().name());
        assertEquals("again\n", run(agent, ExecRequest.of("echo", "again")).stdout);
        agent.dropConnection(); // same object: its reader reconnects by itself
        Thread.sleep(100);
        agent.awaitConnected(Duration.ofSeconds(10));
        assertEquals("thrice\n", run(agent, ExecRequest.of("echo", "thrice")).stdout);
    }

    @Test
    @Order(8)
    void gracefulStopEndsQemu() throws Exception {
        long pid = driver.observe(vm).orElseThrow().pid();
        driver.stop(vm, Duration.ofSeconds(20), Optional.of(agent));
        assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive(), "QEMU still running");
        assertTrue(driver.observe(vm).isEmpty());
        driver.delete(vm);
        assertFalse(Files.exists(vm.runtimeDir()), "runtime dir removed");
    }

    @Test
    @Order(9)
    void stopWithoutAnAgentFallsBackToQmp() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        VmHandle other = driver.create(spec("noagent", guest, GuestConfig.workload("sleep", "1000"), NetworkMode.NONE));
        long pid = driver.start(other).pid();
        driver.stop(other, Duration.ofSeconds(5));
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "QMP quit ended QEMU");
        driver.delete(other);
    }

    @Test
    @Order(10)
    void killAndDelete() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        VmHandle other = driver.create(spec("victim", guest, GuestConfig.workload("sleep", "1000"), NetworkMode.NONE));
        VmProcessInfo info = driver.start(other);
        assertEquals(Optional.of(info), driver.observe(other));
        assertFalse(sessionOf(info.pid()).equals(sessionOf(ProcessHandle.current().pid())),
                "QEMU runs in its own session, so it survives hyprd dying");
        driver.kill(other);
        assertTrue(driver.observe(other).isEmpty(), "killed VM is not observed");
        driver.delete(other);
        assertFalse(Files.exists(other.runtimeDir()));
    }

    private VmLaunchSpec spec(String name, GuestArtifacts guest, GuestConfig config, NetworkMode net) {
        return new VmLaunchSpec(name, tmp.resolve("runtime").resolve(name), guest.kernel(), guest.initramfs(), guest.rootfs(),
                List.of(), 1, 256, List.of(), config, net);
    }

    record Result(int code, String stdout) {}

    static Result run(AgentConnection agent, ExecRequest request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecSession s = agent.exec(request, out::writeBytes, b -> { });
        int code = s.exitCode().get(30, TimeUnit.SECONDS);
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    /** Field 6 of /proc/PID/stat. */
    static String sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
