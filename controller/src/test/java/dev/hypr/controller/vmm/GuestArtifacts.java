package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel, initramfs and quickstart rootfs built by scripts/install-deps.sh, found via
 * -Dhypr.root. Every test that boots a VM calls {@link #require()} when its class starts: a
 * missing artifact fails the class at once (never skips it), naming the file, why it is not
 * usable and the command that builds it, instead of failing deep inside a boot timeout.
 */
public record GuestArtifacts(Path kernel, Path initramfs, Path rootfs) {
    private record Artifact(String path, String buildCommand) {
    }

    private static final List<Artifact> ARTIFACTS = List.of(
            new Artifact("kernel/out/vmlinux", "kernel/fetch-debian-kernel.sh"),
            new Artifact("guest/out/initramfs.cpio", "make -C guest && kernel/build-initramfs.sh"),
            new Artifact("guest/out/quickstart-rootfs.squashfs",
                    "examples/quickstart/build-rootfs.sh guest/out/quickstart-rootfs.squashfs"));

    public static Path root() {
        return Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize();
    }

    public static GuestArtifacts require() {
        Path root = root();
        List<String> problems = new ArrayList<>();
        for (Artifact a : ARTIFACTS) {
            problemWith(root.resolve(a.path())).ifPresent(why -> problems.add(root.resolve(a.path()) + " " + why
                    + ": build it with `" + a.buildCommand() + "` (in " + root + "), or run scripts/install-deps.sh"));
        }
        if (!problems.isEmpty()) {
            fail("guest artifacts this test boots are not usable:\n  " + String.join("\n  ", problems));
        }
        return new GuestArtifacts(root.resolve(ARTIFACTS.get(0).path()), root.resolve(ARTIFACTS.get(1).path()),
                root.resolve(ARTIFACTS.get(2).path()));
    }

    /**
     * hypr's minimal kernel (kernel/build-minimal.sh, run by install-deps unless
     * HYPR_MINIMAL_KERNEL=skip) with its module-less initramfs, and the quickstart rootfs.
     * Missing: fails (never skips), naming the command that builds it.
     */
    public static GuestArtifacts requireMinimal() {
        GuestArtifacts debian = require();
        Path root = root();
        List<String> problems = new ArrayList<>();
        for (String path : List.of("kernel/out-minimal/vmlinux", "guest/out/initramfs-minimal.cpio")) {
            problemWith(root.resolve(path)).ifPresent(why -> problems.add(root.resolve(path) + " " + why
                    + ": build it with `kernel/build-minimal.sh` (in " + root + "), or run scripts/install-deps.sh"));
        }
        if (!problems.isEmpty()) {
            fail("the minimal kernel this test boots is not installed (install-deps.sh builds it unless"
                    + " HYPR_MINIMAL_KERNEL=skip; a kernel that fails its boot check is not installed):\n  "
                    + String.join("\n  ", problems));
        }
        return new GuestArtifacts(root.resolve("kernel/out-minimal/vmlinux"), root.resolve("guest/out/initramfs-minimal.cpio"),
                debian.rootfs());
    }

    private static java.util.Optional<String> problemWith(Path p) {
        if (!Files.exists(p)) {
            return java.util.Optional.of("is missing");
        }
        if (!Files.isReadable(p)) {
            return java.util.Optional.of("is not readable");
        }
        try {
            return Files.size(p) == 0 ? java.util.Optional.of("is empty") : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("cannot be read: " + e.getMessage());
        }
    }
}
