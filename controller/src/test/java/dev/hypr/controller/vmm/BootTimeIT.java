package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentHello;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest kernels booted through hyprd's own QEMU command line (QemuDriver): the minimal
 * kernel with everything a VM uses (squashfs rootfs under overlayfs, an ext4 volume, user
 * networking with a published port, the agent channel and exec), and start-of-QEMU to
 * Kestrel's "workload started" for both kernels, median of -Dhypr.boots (default 3) each.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BootTimeIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(2); // TCG on a loaded 2-core box

    @TempDir
    Path tmp;

    @Test
    void minimalKernelRunsEverythingAVmUses() throws Exception {
        GuestArtifacts minimal = GuestArtifacts.requireMinimal();
        QemuDriver driver = new QemuDriver(tmp.resolve("state"));
        Path volume = tmp.resolve("data.ext4");
        try (var f = new java.io.RandomAccessFile(volume.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Process mkfs = new ProcessBuilder(HostProgram.MKFS_EXT4.program(), "-q", "-F", volume.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, mkfs.waitFor(), new String(mkfs.getInputStream().readAllBytes()));
        int httpPort = freePort();
        GuestConfig config = new GuestConfig(List.of("/bin/httpd", "-f", "-p", "80", "-h", "/www"), List.of(), Optional.empty(),
                Optional.empty(), Optional.of("minimal"), Optional.empty(), Optional.empty(), List.of(),
                List.of("/dev/vdb:/data:ext4"), GuestConfig.RestartPolicy.NEVER, List.of())
                .withNetwork(NetworkMode.UserMode.GUEST_CIDR, NetworkMode.UserMode.GATEWAY, List.of(NetworkMode.UserMode.DNS));
        VmLaunchSpec spec = new VmLaunchSpec("full", tmp.resolve("full"), minimal.kernel(), minimal.initramfs(), minimal.rootfs(),
                List.of(new VmDisk(volume, "hypr-data", false)), 1, 128, List.of(), config,
                new NetworkMode.UserMode(List.of(HostForward.tcp("127.0.0.1", httpPort, 80))));
        VmHandle vm = driver.create(spec);
        CompletableFuture<Integer> started = new CompletableFuture<>();
        driver.start(vm);
        try (AgentConnection agent = AgentConnection.open(vm.agentSocket(), new AgentListener() {
            @Override
            public void onWorkloadStarted(int pid) {
                started.complete(pid);
            }
        })) {
            AgentHello hello = agent.awaitConnected(BOOT_TIMEOUT);
            assertTrue(hello.bootInitMs() > 0 && hello.bootReadyMs() >= hello.bootInitMs(),
                    "Kestrel reports its boot milestones: init " + hello.bootInitMs() + " ms, ready " + hello.bootReadyMs() + " ms");
            started.get(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // the minimal kernel, not Debian's: no module support at all
            assertNotEquals(0, exec(agent, "test -e /proc/modules").code, "CONFIG_MODULES=n in the minimal kernel");
            // rootfs: squashfs under an overlay with a tmpfs upper layer (xattrs on tmpfs for overlayfs)
            Result mounts = exec(agent, "cat /proc/mounts");
            assertTrue(mounts.stdout.contains("overlay / overlay"), mounts.stdout);
            assertTrue(mounts.stdout.contains("squashfs"), mounts.stdout);
            // the volume: ext4, writable, survives a sync
            Result data = exec(agent, "echo kept > /data/file && sync && cat /data/file && grep ' /data ' /proc/mounts");
            assertEquals(0, data.code, data.stdout);
            assertTrue(data.stdout.startsWith("kept\n") && data.stdout.contains("ext4"), data.stdout);
            // the network: eth0 configured, and the published port serves the workload's page
            assertTrue(exec(agent, "ip addr show eth0 2>/dev/null || ifconfig eth0").stdout.contains("10.0.2.15"), "guest address");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            // entropy and vsock drivers are built in (vsock: cloud-hypervisor's agent channel)
            assertEquals(0, exec(agent, "head -c 16 /dev/urandom | wc -c | grep -q 16").code, "urandom");
            System.out.println("BootTimeIT: host directory (virtiofs) not exercised: hyprd's virtiofs launch is on the"
                    + " 'virtiofs' branch, not on main yet; the kernel has CONFIG_VIRTIO_FS and FUSE built in");
            driver.stop(vm, Duration.ofSeconds(20), Optional.of(agent));
        } finally {
            driver.delete(vm);
        }
    }

    @Test
    void bootToWorkloadStartedDebianKernel() throws Exception {
        long debian = medianBoot("debian", GuestArtifacts.require());
        assertTrue(debian < 30_000, "median boot " + debian + " ms");
    }

    @Test
    void bootToWorkloadStartedMinimalKernel() throws Exception {
        long minimal = medianBoot("minimal", GuestArtifacts.requireMinimal());
        assertTrue(minimal < 30_000, "median boot " + minimal + " ms");
    }

    private long medianBoot(String label, GuestArtifacts guest) throws Exception {
        QemuDriver driver = new QemuDriver(tmp.resolve("state-" + label));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("hypr.boots", 3); i++) {
            VmLaunchSpec spec = new VmLaunchSpec(label + i, tmp.resolve(label + i), guest.kernel(), guest.initramfs(),
                    guest.rootfs(), List.of(), 1, 128, List.of(), GuestConfig.workload("sleep", "1000"), NetworkMode.NONE);
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
                millis.add(TimeUnit.NANOSECONDS.toMillis(started.get(BOOT_TIMEOUT.toSeconds(), TimeUnit.SECONDS) - t0));
                driver.stop(vm, Duration.ofSeconds(10), Optional.of(agent));
            } finally {
                driver.delete(vm);
            }
        }
        Collections.sort(millis);
        System.out.printf("boot to workload started, %s kernel (%s): median %d ms, all %s%n", label, driver.accelerator(),
                millis.get(millis.size() / 2), millis);
        return millis.get(millis.size() / 2);
    }

    record Result(int code, String stdout) {
    }

    private static Result exec(AgentConnection agent, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecSession s = agent.exec(ExecRequest.of("sh", "-c", script + " 2>&1"), out::writeBytes, b -> { });
        int code = s.exitCode().get(60, TimeUnit.SECONDS);
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
