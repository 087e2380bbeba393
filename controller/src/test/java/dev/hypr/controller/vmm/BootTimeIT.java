package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.net.NetNs;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest kernels booted with hyprd's own QEMU command lines: the minimal kernel through a
 * real hyprd with everything a VM uses (squashfs rootfs under overlayfs, an ext4 volume, a host
 * directory over virtiofs, bridged and user-mode networking, exec), and start-of-QEMU to
 * Kestrel's "workload started" for both kernels (QemuDriver), median of -Dhypr.boots (default 3) each.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BootTimeIT {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(2); // TCG on a loaded 2-core box

    @TempDir
    Path tmp;

    /**
     * hyprd (inside a test network namespace, HYPR_KERNEL=minimal) boots two VMs on the minimal
     * kernel with its real command lines: one on a bridged Network (TAP) with an ext4 volume by
     * serial and a host directory over virtiofs (memfd memory, modern virtio-mmio), one on
     * user-mode networking with a published port (legacy virtio-mmio); exec runs in both.
     */
    @Test
    void minimalKernelRunsEverythingAVmUsesThroughHyprd() throws Exception {
        GuestArtifacts minimal = GuestArtifacts.requireMinimal();
        assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(shared.resolve("hello.txt"), "from host\n");
        try (NetNs ns = NetNs.create();
             HyprdProcess hyprd = HyprdProcess.start(tmp.resolve("home"), ns.prefix(),
                     Map.of("HYPR_KERNEL", "minimal", "HYPR_AOT", "0"))) {
            Hyprctl hyprctl = new Hyprctl(hyprd.socket(), tmp);
            apply(hyprctl, "kind: Network\nmetadata:\n  name: back\nspec:\n  subnet: 10.91.0.0/24\n");
            apply(hyprctl, "kind: Volume\nmetadata:\n  name: blk\nspec:\n  sizeMiB: 64\n");
            apply(hyprctl, vm("bridged", minimal.rootfs(), "back", "")
                    + "  volumes:\n  - name: blk\n    volumeRef: blk\n    mountPath: /blk\n"
                    + "  - name: host\n    hostPath: " + shared + "\n    mountPath: /mnt/host\n");
            apply(hyprctl, vm("usermode", minimal.rootfs(), "user", "  ports:\n  - hostIP: 127.0.0.1\n    hostPort: 8080\n"
                    + "    guestPort: 80\n"));
            for (String name : List.of("bridged", "usermode")) {
                JsonNode status = hyprd.await("VM", name, BootTimeIT::ready, BOOT_TIMEOUT.multipliedBy(2)).path("status");
                assertTrue(status.path("kernel").asText().startsWith("minimal-"), name + " boots the minimal kernel: " + status);
                System.out.println("BootTimeIT: " + name + " boot " + status.path("boot"));
                // the minimal kernel, not Debian's: no module support at all
                assertNotEquals(0, hyprctl.run("exec", name, "--", "test", "-e", "/proc/modules").exitCode(), "CONFIG_MODULES=n");
                // rootfs: squashfs under an overlay with a tmpfs upper layer (xattrs on tmpfs for overlayfs)
                String mounts = sh(hyprctl, name, "cat /proc/mounts");
                assertTrue(mounts.contains("overlay / overlay") && mounts.contains("squashfs"), mounts);
                // entropy (virtio-rng) is there
                assertEquals("16\n", sh(hyprctl, name, "head -c 16 /dev/urandom | wc -c"));
            }
            // the volume: ext4 by its virtio-blk serial, writable, survives a sync
            assertTrue(sh(hyprctl, "bridged", "cat /sys/block/vd*/serial").contains("hypr-blk"));
            assertEquals("kept\n", sh(hyprctl, "bridged", "echo kept > /blk/file && sync && cat /blk/file"));
            assertTrue(sh(hyprctl, "bridged", "grep ' /blk ' /proc/mounts").contains("ext4"));
            // the host directory over virtiofs: the guest reads the host's file, the host sees the guest's write
            assertEquals("from host\n", sh(hyprctl, "bridged", "cat /mnt/host/hello.txt"));
            sh(hyprctl, "bridged", "echo from guest > /mnt/host/out.txt");
            assertEquals("from guest\n", Files.readString(shared.resolve("out.txt")));
            // the bridged network: the namespace reaches the VM's address on its TAP
            String ip = hyprd.object("VM", "bridged").orElseThrow().path("status").path("ip").asText();
            assertTrue(ip.startsWith("10.91.0."), ip);
            assertTrue(curl(ns, "http://" + ip + "/").contains("hello from hypr"), "bridged VM's page");
            // user-mode networking: the published port on the namespace's loopback
            assertTrue(curl(ns, "http://127.0.0.1:8080/").contains("hello from hypr"), "user-mode VM's page");
            for (String name : List.of("bridged", "usermode")) {
                Hyprctl.Run deleted = hyprctl.run("delete", "vm", name, "--wait", "--timeout=120s");
                assertEquals(0, deleted.exitCode(), deleted.toString());
            }
        }
    }

    private static String vm(String name, Path rootfs, String network, String more) {
        return "kind: VM\nmetadata:\n  name: " + name + "\nspec:\n  rootfs: " + rootfs + "\n"
                + "  command: [\"/bin/httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n  memoryMiB: 128\n"
                + "  network: " + network + "\n" + more;
    }

    private void apply(Hyprctl hyprctl, String yaml) throws Exception {
        Path f = Files.createTempFile(tmp, "obj", ".yaml");
        Files.writeString(f, "apiVersion: hypr.dev/v1alpha1\n" + yaml);
        Hyprctl.Run r = hyprctl.run("apply", "-f", f.toString());
        assertEquals(0, r.exitCode(), r.toString());
    }

    private static boolean ready(JsonNode vm) {
        for (JsonNode c : vm.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    private static String sh(Hyprctl hyprctl, String vm, String script) throws Exception {
        Hyprctl.Run r = hyprctl.run("exec", vm, "--", "sh", "-c", script);
        assertEquals(0, r.exitCode(), vm + ": " + script + "\n" + r);
        return r.stdout();
    }

    /** curl inside the namespace, retried for a minute (the workload's httpd starts after Ready). */
    private static String curl(NetNs ns, String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        NetNs.Outcome last;
        do {
            last = ns.tryExec("curl", "-sf", "--max-time", "5", url);
            if (last.exitCode() == 0) {
                return last.output();
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("curl " + url + " in " + ns.name() + " kept failing: " + last.output());
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
}
