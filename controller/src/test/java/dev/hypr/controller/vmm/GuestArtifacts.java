package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel, initramfs and quickstart rootfs built by scripts/install-deps.sh, found via -Dhypr.root. */
public record GuestArtifacts(Path kernel, Path initramfs, Path rootfs) {
    public static GuestArtifacts require() {
        Path root = Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize();
        GuestArtifacts a = new GuestArtifacts(root.resolve("kernel/out/vmlinux"), root.resolve("guest/out/initramfs.cpio"),
                root.resolve("guest/out/quickstart-rootfs.squashfs"));
        for (Path p : new Path[] {a.kernel, a.initramfs, a.rootfs}) {
            if (!Files.isReadable(p)) fail(p + " is missing: run scripts/install-deps.sh (it fetches the kernel and builds the guest)");
        }
        return a;
    }
}
