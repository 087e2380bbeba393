package dev.hypr.controller.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * hyprd's state as a real unprivileged local user sees it ({@code useradd}, {@code runuser}):
 * after a VM with {@code PASSWORD=hunter2} in its env wrote it to its log, the user cannot list
 * $HYPR_HOME nor read hypr.db, its WAL, the workload log, vmm.cmd or the cached squashfs of a
 * directory rootfs (whose 0600 file {@code unsquashfs -cat} would print); a home an older hyprd
 * left 0755/0644 is tightened when hyprd starts. The home's parent is 0755, so only hyprd's own
 * modes stand between the user and the files.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FilePermissionsIT {
    private static final String SECRET = "hunter2";
    private static final String TOKEN = "token-only-root-may-read";
    private static final String USER = "hprobe" + UUID.randomUUID().toString().substring(0, 6);

    private static Path base;
    private static Path home;
    private static HyprdProcess hyprd;
    private static boolean userAdded;

    @BeforeAll
    static void start() throws Exception {
        GuestArtifacts guest = GuestArtifacts.require();
        assertEquals("root", System.getProperty("user.name"), "creates a local user: run as root (scripts/test.sh does)");
        base = Files.createTempDirectory("hypr-perm-it");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x")); // others may walk up to the home
        home = base.resolve("home");
        root("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
        userAdded = true;

        // a directory rootfs with a file only root may read: hyprd packs it into cache/rootfs/*.squashfs
        Path rootfs = base.resolve("rootfs");
        root("unsquashfs", "-q", "-d", rootfs.toString(), guest.rootfs().toString());
        Path secretDir = Files.createDirectories(rootfs.resolve("secret"));
        Files.writeString(secretDir.resolve("token"), TOKEN);
        Files.setPosixFilePermissions(secretDir.resolve("token"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(secretDir, PosixFilePermissions.fromString("rwx------"));

        hyprd = HyprdProcess.start(home);
        hyprd.client().apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setSource("test.json:1:1").setJson(
                "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"leaky\"},\"spec\":{"
                        + "\"rootfs\":\"" + rootfs + "\",\"memoryMiB\":128,\"network\":\"none\","
                        + "\"env\":[{\"name\":\"PASSWORD\",\"value\":\"" + SECRET + "\"}],"
                        + "\"command\":[\"/bin/sh\",\"-c\",\"echo PASSWORD=$PASSWORD; exec sleep 3600\"]}}")).build());
        Path log = home.resolve("logs/leaky.log");
        await("the workload printed its password to " + log, Duration.ofMinutes(3),
                () -> Files.exists(log) && read(log).contains("PASSWORD=" + SECRET));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (hyprd != null) {
                hyprd.client().delete(DeleteRequest.newBuilder().setKind("vm").setName("leaky").build());
                await("vm/leaky stopped", Duration.ofSeconds(60), () -> !Files.exists(home.resolve("runtime/vms/leaky")));
                hyprd.close();
            }
        } finally {
            if (userAdded) {
                root("userdel", USER);
            }
            if (base != null) {
                try (Stream<Path> all = Files.walk(base)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** The files that hold the secret, as root sees them: they exist and hold it (the test is not vacuous). */
    private static List<Path> secretHolders() throws Exception {
        Path cached;
        try (Stream<Path> s = Files.list(home.resolve("cache/rootfs"))) {
            cached = s.filter(p -> p.toString().endsWith(".squashfs")).findFirst().orElseThrow();
        }
        assertEquals(TOKEN, root("unsquashfs", "-cat", cached.toString(), "secret/token"), "root reads the token");
        assertTrue(read(home.resolve("logs/leaky.log")).contains(SECRET));
        List<Path> out = new ArrayList<>(List.of(home.resolve("hypr.db"), home.resolve("hypr.db-wal"), home.resolve("logs/leaky.log"),
                home.resolve("runtime/vms/leaky/vmm.cmd"), home.resolve("runtime/vms/leaky/console.log"), cached));
        for (Path p : out) {
            assertTrue(Files.exists(p), p + " exists");
        }
        return out;
    }

    @Test
    @Order(1)
    void anotherUserCanNeitherListTheHomeNorReadAnyFileWithTheSecret() throws Exception {
        Path visible = Files.writeString(base.resolve("public.txt"), "anyone may read this");
        assertEquals("anyone may read this", asProbe("cat", visible.toString()).output(), "runuser works: the denials below are real");

        assertTrue(asProbe("ls", home.toString()).exitCode() != 0, USER + " lists the home");
        for (Path p : secretHolders()) {
            Outcome o = asProbe("cat", p.toString());
            assertNotEquals(0, o.exitCode(), USER + " read " + p);
            assertFalse(o.output().contains(SECRET), p.toString());
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            assertTrue(mode.endsWith("------"), p + " is " + mode + ": only hyprd's user may read it");
        }
        Path cached = secretHolders().get(5);
        Outcome unsquash = asProbe("unsquashfs", "-cat", cached.toString(), "secret/token");
        assertNotEquals(0, unsquash.exitCode(), unsquash.output());
        assertFalse(unsquash.output().contains(TOKEN));
        for (String dir : List.of("", "logs", "cache", "cache/rootfs", "runtime", "runtime/vms", "runtime/vms/leaky", "images")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(dir))), "$HYPR_HOME/" + dir);
        }
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(hyprd.socket())),
                "the socket keeps its own mode (root and its group)");
    }

    @Test
    @Order(2)
    void aHomeAnOlderHyprdLeftReadableIsTightenedAtStart() throws Exception {
        hyprd.stop();
        root("chmod", "-R", "go+rX", home.toString()); // as an older hyprd (umask 022) left it
        Path log = home.resolve("logs/leaky.log");
        assertTrue(asProbe("cat", log.toString()).output().contains(SECRET), "the simulated old home is readable");
        long loggedBefore = tighteningsLogged();

        hyprd.launch();
        await("the home tightened", Duration.ofSeconds(60), () -> {
            try {
                return asProbe("cat", log.toString()).exitCode() != 0 && mode(log).endsWith("------");
            } catch (Exception e) {
                return false;
            }
        });
        assertNotEquals(0, asProbe("ls", home.toString()).exitCode());
        for (Path p : secretHolders()) {
            assertTrue(mode(p).endsWith("------"), p + " is " + mode(p));
        }
        await("the tightening logged", Duration.ofSeconds(30), () -> tighteningsLogged() > loggedBefore);
    }

    private static long tighteningsLogged() {
        try {
            return hyprd.output().lines().filter(l -> l.contains("removed group and other access from")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    record Outcome(int exitCode, String output) {
    }

    private static Outcome asProbe(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        cmd.addAll(List.of(command));
        return exec(cmd);
    }

    private static String root(String... command) throws Exception {
        Outcome o = exec(List.of(command));
        assertEquals(0, o.exitCode(), String.join(" ", command) + ": " + o.output());
        return o.output();
    }

    private static Outcome exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " timed out");
        }
        return new Outcome(p.exitValue(), out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
