package dev.hypr.controller.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.vmm.HypervisorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kernel a VM boots: hypr.kernel auto/minimal/debian/path against what install-deps built. */
class GuestAssetsTest {
    @TempDir
    Path install;

    private void debianBuilt() throws IOException {
        write("kernel/out/vmlinux", "elf");
        write("kernel/out/VERSION", "6.1.0-41-cloud-amd64\n");
        write("guest/out/initramfs.cpio", "cpio");
    }

    private void minimalBuilt() throws IOException {
        write("kernel/out-minimal/vmlinux", "elf");
        write("kernel/out-minimal/VERSION", "minimal-0123456789ab\n");
        write("guest/out/initramfs-minimal.cpio", "cpio");
    }

    private void write(String rel, String content) throws IOException {
        Path p = install.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private GuestKernel choose(String setting) {
        return new GuestAssets(install.toString(), setting, Optional.empty()).defaultKernel(HypervisorKind.QEMU);
    }

    @Test
    void autoTakesDebiansKernelUntilTheMinimalOneIsBuilt() throws IOException {
        debianBuilt();
        GuestKernel before = choose("auto");
        assertEquals("debian-6.1.0-41-cloud-amd64", before.name());
        assertEquals(install.resolve("kernel/out/vmlinux"), before.vmlinux());
        assertEquals(install.resolve("guest/out/initramfs.cpio"), before.initramfs(), "Debian's modules ride in this initramfs");

        minimalBuilt();
        GuestKernel after = choose("auto");
        assertEquals("minimal-0123456789ab", after.name());
        assertEquals(install.resolve("kernel/out-minimal/vmlinux"), after.vmlinux());
        assertEquals(install.resolve("guest/out/initramfs-minimal.cpio"), after.initramfs());
    }

    @Test
    void aMinimalKernelWithoutItsInitramfsIsNotTaken() throws IOException {
        debianBuilt();
        write("kernel/out-minimal/vmlinux", "elf"); // build-minimal.sh writes the initramfs first; a half install is skipped
        assertTrue(choose("auto").name().startsWith("debian-"));
    }

    @Test
    void debianCanBeForcedAndMinimalDemanded() throws IOException {
        debianBuilt();
        VmConfigException missing = assertThrows(VmConfigException.class, () -> choose("minimal"));
        assertEquals(VmConfigException.KERNEL_NOT_FOUND, missing.reason());
        assertTrue(missing.getMessage().contains("kernel/build-minimal.sh"), missing.getMessage());
        minimalBuilt();
        assertEquals("minimal-0123456789ab", choose("minimal").name());
        assertEquals("debian-6.1.0-41-cloud-amd64", choose("debian").name());
    }

    @Test
    void cloudHypervisorGetsDebiansKernelItHasNoPciOtherwise() throws IOException {
        debianBuilt();
        minimalBuilt();
        GuestAssets auto = new GuestAssets(install.toString(), "auto", Optional.empty());
        assertEquals("debian-6.1.0-41-cloud-amd64", auto.defaultKernel(HypervisorKind.CLOUD_HYPERVISOR).name());
        GuestAssets minimal = new GuestAssets(install.toString(), "minimal", Optional.empty());
        VmConfigException e = assertThrows(VmConfigException.class, () -> minimal.defaultKernel(HypervisorKind.CLOUD_HYPERVISOR));
        assertTrue(e.getMessage().contains("spec.hypervisor: qemu"), e.getMessage());
    }

    @Test
    void aPathIsACustomKernelWithTheModulesInitramfs() throws IOException {
        debianBuilt();
        minimalBuilt();
        GuestKernel custom = choose("/opt/kernels/vmlinux-test");
        assertEquals("custom:/opt/kernels/vmlinux-test", custom.name());
        assertEquals(Path.of("/opt/kernels/vmlinux-test"), custom.vmlinux());
        assertEquals(install.resolve("guest/out/initramfs.cpio"), custom.initramfs());
    }
}
