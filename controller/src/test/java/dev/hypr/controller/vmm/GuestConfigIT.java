package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.agent.AgentConnection;
import dev.hypr.controller.agent.AgentListener;
import dev.hypr.controller.vmm.qemu.QemuDriver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload config (argv, env, secrets) travels over the agent channel, not the kernel
 * command line (guest/PROTOCOL.md, CONFIG), under real QEMU; and a disk path with a comma
 * boots the file hyprd checked.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GuestConfigIT {
    @TempDir
    Path tmp;
    private final QemuDriver driver = new QemuDriver(Path.of(System.getProperty("java.io.tmpdir"), "hypr-it-state"));
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private VmHandle vm;
    private AgentConnection agent;

    private void create(GuestConfig config, Path rootfs) {
        GuestArtifacts guest = GuestArtifacts.require();
        vm = driver.create(new VmLaunchSpec("cfg", tmp.resolve("vm"), guest.kernel(), guest.initramfs(), rootfs,
                List.of(), 1, 256, List.of(), config, NetworkMode.NONE));
        driver.start(vm);
    }

    private void connect() {
        agent = AgentConnection.open(vm.agentSocket(), new AgentListener() {
            @Override
            public void onWorkloadStarted(int pid) {
                events.add("started");
            }

            @Override
            public void onWorkloadExited(int code, int signal) {
                events.add("exited " + code);
            }

            @Override
            public void onWorkloadOutput(OutputStream stream, byte[] data) {
                synchronized (stdout) {
                    stdout.writeBytes(data);
                }
            }

            @Override
            public void onShutdown(String reason) {
                events.add("shutdown " + reason);
            }
        });
    }

    private String next() throws InterruptedException {
        String e = events.poll(60, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no agent event within 60 s; console: " + console());
        return e;
    }

    private String output() {
        synchronized (stdout) {
            return stdout.toString(StandardCharsets.UTF_8);
        }
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
    void sixtyFourKibOfEnvAndSecretFilesArriveByteExactAndNeverOnTheVmmCommandLine() throws Exception {
        StringBuilder big = new StringBuilder();
        Random random = new Random(42);
        String alphabet = "abcXYZ0129 =\"'$`\\;,\n\té€";
        while (big.length() < 64 * 1024) big.append(alphabet.charAt(random.nextInt(alphabet.length())));
        byte[] secret = {'h', 'u', 'n', 't', 'e', 'r', '2', 0, (byte) 0xff, '\n'};
        GuestConfig config = GuestConfig.workload("sh", "-c",
                        "printf %s \"$BIG\" | busybox sha256sum; echo \"pw=$PASSWORD\"; busybox sha256sum < /run/secrets/db;"
                                + " busybox stat -c 'mode=%a owner=%u:%g' /run/secrets/db")
                .withEnv(List.of("BIG=" + big, "PASSWORD=hunter2"))
                .withSecrets(List.of(new GuestConfig.SecretFile("db", secret)));
        config = new GuestConfig(config.argv(), config.env(), Optional.empty(), Optional.of("1000:1001"), Optional.of("cfg"),
                Optional.empty(), Optional.empty(), List.of(), List.of(), GuestConfig.RestartPolicy.NEVER, config.secrets());
        create(config, GuestArtifacts.require().rootfs());
        connect();
        assertEquals("started", next());
        assertEquals("exited 0", next(), output());

        String out = output();
        assertTrue(out.contains(sha256(big.toString().getBytes(StandardCharsets.UTF_8))), "64 KiB env byte-exact: " + out);
        assertTrue(out.contains("pw=hunter2\n"), out);
        assertTrue(out.contains(sha256(secret)), "secret file byte-exact: " + out);
        assertTrue(out.contains("mode=400 owner=1000:1001"), "secret file readable by the workload's user only: " + out);

        String vmmArgv = String.join(" ", RuntimeFiles.readCommand(vm));
        assertFalse(vmmArgv.contains("hunter2") || vmmArgv.contains(big.substring(0, 64)), "workload config in vmm.cmd");
        assertFalse(vmmArgv.contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("env=".getBytes())),
                "no env entry encoded on the kernel command line");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(vm.workloadConfigFile())));
    }

    @Test
    void kestrelWaitsForTheConfigUntilAHostConnectsAsAfterAHyprdRestart() throws Exception {
        create(GuestConfig.workload("sh", "-c", "echo late-config-ok"), GuestArtifacts.require().rootfs());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!console().contains("waiting for the workload config")) {
            if (System.nanoTime() > deadline) throw new AssertionError("Kestrel never said it waits; console: " + console());
            Thread.sleep(50);
        }
        assertTrue(driver.observe(vm).isPresent(), "the VM waits instead of ending");
        connect(); // a hyprd that was not running while the guest booted
        assertEquals("started", next());
        assertEquals("exited 0", next());
        assertTrue(output().contains("late-config-ok"), output());
    }

    @Test
    void aCommaInTheRootfsPathBootsTheCheckedFileNotAnInjectedOne() throws Exception {
        Path other = tmp.resolve("other.squashfs");
        Files.writeString(other, "not a squashfs: booting this file would fail the rootfs mount");
        // "/T/inj,file=/T/other.squashfs" is a real path: directory "inj,file=" + "/T/..."
        Path checked = Path.of(tmp.resolve("inj").toString() + ",file=" + other);
        Files.createDirectories(checked.getParent());
        Files.copy(GuestArtifacts.require().rootfs(), checked);
        create(GuestConfig.workload("sh", "-c", "echo booted-the-checked-file"), checked);
        connect();
        assertEquals("started", next(), console());
        assertEquals("exited 0", next());
        assertTrue(output().contains("booted-the-checked-file"), output());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
