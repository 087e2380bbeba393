package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class GuestArtifactsTest {
    @TempDir
    Path root;

    @Test
    void eachMissingArtifactFailsWithWhyAndTheCommandThatBuildsIt() throws Exception {
        Files.createDirectories(root.resolve("guest/out"));
        Files.writeString(root.resolve("guest/out/quickstart-rootfs.squashfs"), "");
        String saved = System.getProperty("hypr.root");
        System.setProperty("hypr.root", root.toString());
        try {
            String m = assertThrows(AssertionFailedError.class, GuestArtifacts::require).getMessage();
            assertTrue(m.contains("kernel/out/vmlinux is missing: build it with `kernel/fetch-debian-kernel.sh`"), m);
            assertTrue(m.contains("initramfs.cpio is missing: build it with `make -C guest && kernel/build-initramfs.sh`"), m);
            assertTrue(m.contains("quickstart-rootfs.squashfs is empty: build it with `examples/quickstart/build-rootfs.sh"), m);
        } finally {
            if (saved == null) {
                System.clearProperty("hypr.root");
            } else {
                System.setProperty("hypr.root", saved);
            }
        }
    }
}
