package dev.hypr.controller.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.host.TestProgram;
import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import dev.hypr.controller.vmm.GuestArtifacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Conformance: every example in {@code examples/builds/} is built by one real hyprd (real QEMU for
 * its RUN steps) through {@code hyprctl build}, and the image as it landed in the image store (the
 * squashfs rootfs VMs boot, the config blob) is checked by {@code compare.py} against the example's
 * {@code expected.yaml}: the one definition of "expected", also used by check-with-buildah.sh.
 *
 * <p>{@link #PENDING} names the examples that need a builder feature still being written. Such an
 * example that fails is reported as skipped with its reason; once the feature lands it passes and is
 * checked like every other, so merging the feature turns it on. Any other failure fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BuildConformanceIT {
    static final Path EXAMPLES = HyprdProcess.root().resolve("examples/builds");
    static final String BASE = "localhost/busybox:base";
    static final Map<String, String> PENDING = Map.of(
            "09-heredoc-run", "the RUN <<EOF script's /script.txt is missing from the image (issue #13); RUN with a"
                    + " here-document on a command's stdin and COPY <<EOF work");
    static final Pattern BUILT = Pattern.compile("built (sha256:([0-9a-f]{64}))");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    HyprdProcess hyprd;
    Hyprctl hyprctl;
    final List<String> passed = new ArrayList<>();
    final List<String> pending = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        GuestArtifacts.require();
        hyprd = HyprdProcess.start(tmp.resolve("home"), List.of(), Map.of("HYPR_AOT", "0"));
        hyprctl = new Hyprctl(hyprd.socket(), tmp);
        Path base = baseContext(tmp.resolve("base"));
        Hyprctl.Run r = hyprctl.run("build", "-t", BASE, base.toString());
        assertEquals(0, r.exitCode(), "the busybox base image builds: " + r);
    }

    @AfterAll
    void stop() throws Exception {
        System.out.printf("build conformance: %d passed %s; %d pending %s%n", passed.size(), passed, pending.size(), pending);
        if (hyprd != null) hyprd.close();
    }

    /**
     * The base every example starts FROM, laid out as make-base.sh lays it out (busybox-static with
     * its applets as relative symlinks in /bin, /tmp 1777, passwd and group; PATH and CMD sh), built
     * FROM scratch by hyprd itself so no registry is needed.
     */
    static Path baseContext(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        for (String d : List.of("bin", "etc", "tmp", "root", "home", "usr/bin", "usr/sbin", "sbin", "var")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : exec(List.of("/bin/busybox", "--list")).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
            }
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndaemon:x:1:\nstaff:x:50:\nnogroup:x:65534:\n");
        Files.writeString(dir.resolve("Dockerfile"), String.join("\n", "FROM scratch", "COPY rootfs/ /",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CMD [\"sh\"]", ""));
        return dir;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMatchesItsExpectedTree() throws Exception {
        List<Path> examples;
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            examples = dirs.filter(d -> Files.isRegularFile(d.resolve("expected.yaml"))).sorted().toList();
        }
        assertTrue(examples.size() >= 20, "the examples are there: " + examples);
        return examples.stream().map(ex -> DynamicTest.dynamicTest(ex.getFileName().toString(), () -> check(ex)));
    }

    private void check(Path example) throws Exception {
        String name = example.getFileName().toString();
        String failure = buildAndCompare(example, name);
        if (failure == null) {
            passed.add(name);
            if (PENDING.containsKey(name)) {
                System.out.printf("%s: passes now; remove it from BuildConformanceIT.PENDING%n", name);
            }
            return;
        }
        if (PENDING.containsKey(name)) {
            pending.add(name);
            System.out.printf("%s: expected failure (%s):%n%s%n", name, PENDING.get(name), failure);
            Assumptions.abort(name + " is pending: " + PENDING.get(name));
        }
        fail(failure);
    }

    /** Builds the example as check-with-buildah.sh does; null when its image matches expected.yaml, else why not. */
    private String buildAndCompare(Path example, String name) throws Exception {
        Map<?, ?> expected = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(example.resolve("expected.yaml")));
        List<String> args = new ArrayList<>(List.of("build", "-t", "localhost/conformance/" + name + ":1", "--progress=plain",
                "--build-arg", "BASE=" + BASE));
        if (expected.get("buildArgs") instanceof Map<?, ?> buildArgs) {
            buildArgs.forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
        }
        if (expected.get("target") != null) {
            args.addAll(List.of("--target", String.valueOf(expected.get("target"))));
        }
        args.add(example.toString());
        Hyprctl.Run r = hyprctl.run(args.toArray(String[]::new));
        Matcher built = BUILT.matcher(r.stdout());
        if (r.exitCode() != 0 || !built.find()) {
            return name + ": the build failed: " + r;
        }
        Path images = hyprd.home().resolve("images");
        JsonNode manifest = JSON.readTree(images.resolve("blobs/sha256").resolve(built.group(2)).toFile());
        Path config = images.resolve("blobs/sha256").resolve(manifest.path("config").path("digest").asText().substring(7));
        Path rootfs = tmp.resolve("rootfs-" + name);
        exec(List.of(TestProgram.UNSQUASHFS.program(), "-q", "-n", "-d", rootfs.toString(),
                images.resolve(built.group(2)).resolve("rootfs.squashfs").toString()));
        Process compare = new ProcessBuilder(TestProgram.PYTHON3.program(), EXAMPLES.resolve("compare.py").toString(),
                example.toString(), rootfs.toString(), config.toString()).redirectErrorStream(true).start();
        String out = new String(compare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compare.waitFor(2, TimeUnit.MINUTES));
        return compare.exitValue() == 0 ? null : out + "\nbuild output:\n" + r.stdout();
    }

    private static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
