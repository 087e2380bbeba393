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

    @Test
    void aMissingMinimalKernelFailsTheTestInsteadOfSkippingIt() throws Exception {
        for (String p : new String[] {"kernel/out/vmlinux", "guest/out/initramfs.cpio", "guest/out/quickstart-rootfs.squashfs"}) {
            Files.createDirectories(root.resolve(p).getParent());
            Files.writeString(root.resolve(p), "x");
        }
        String saved = System.getProperty("hypr.root");
        System.setProperty("hypr.root", root.toString());
        try {
            // AssertionFailedError, not TestAbortedError: a missing minimal kernel is a failure
            String m = assertThrows(AssertionFailedError.class, GuestArtifacts::requireMinimal).getMessage();
            assertTrue(m.contains("kernel/out-minimal/vmlinux is missing: build it with `kernel/build-minimal.sh`"), m);
            assertTrue(m.contains("initramfs-minimal.cpio is missing"), m);
        } finally {
            if (saved == null) {
                System.clearProperty("hypr.root");
            } else {
                System.setProperty("hypr.root", saved);
            }
        }
    }
}
