package dev.hypr.controller.vm;

import dev.hypr.controller.vmm.HypervisorKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The guest kernel and Kestrel initramfs a VM boots. scripts/install-deps.sh puts Debian's
 * cloud kernel in kernel/out (its modules in guest/out/initramfs.cpio) and, when built, hypr's
 * minimal kernel in kernel/out-minimal (with guest/out/initramfs-minimal.cpio, no modules).
 * hypr.kernel (env HYPR_KERNEL) chooses: {@code auto} (default: minimal when present, Debian
 * otherwise; decided at each boot, so a kernel built in the background is picked up),
 * {@code minimal}, {@code debian}, or the path of a vmlinux. hypr.initramfs overrides the initramfs.
 */
@ApplicationScoped
public class GuestAssets {
    public static final String AUTO = "auto";
    public static final String MINIMAL = "minimal";
    public static final String DEBIAN = "debian";

    @ConfigProperty(name = "hypr.install-dir", defaultValue = ".")
    String installDir;

    @ConfigProperty(name = "hypr.kernel", defaultValue = AUTO)
    String kernel;

    @ConfigProperty(name = "hypr.initramfs")
    Optional<String> initramfs;

    public GuestAssets() {
    }

    GuestAssets(String installDir, String kernel, Optional<String> initramfs) {
        this.installDir = installDir;
        this.kernel = kernel;
        this.initramfs = initramfs;
    }

    /**
     * The kernel for a VM without spec.kernel.path, booted by this hypervisor. The minimal kernel
     * has no PCI (QEMU microvm puts virtio on MMIO), so cloud-hypervisor, whose virtio devices
     * are PCI, gets Debian's kernel (virtio_pci is among the modules Kestrel loads).
     */
    public GuestKernel defaultKernel(HypervisorKind hypervisor) {
        boolean minimalFits = hypervisor == HypervisorKind.QEMU;
        return switch (kernel.isBlank() ? AUTO : kernel) {
            case AUTO -> (minimalFits ? minimalIfBuilt() : Optional.<GuestKernel>empty()).orElseGet(this::debian);
            case MINIMAL -> {
                if (!minimalFits) {
                    throw new VmConfigException(VmConfigException.INVALID_SPEC, "hypr.kernel=minimal boots under QEMU only"
                            + " (it has no PCI, which " + hypervisor.specName() + " needs): set spec.hypervisor: qemu");
                }
                yield minimalIfBuilt().orElseThrow(() -> new VmConfigException(VmConfigException.KERNEL_NOT_FOUND,
                        "hypr.kernel=minimal but " + minimalDir().resolve("vmlinux") + " is not built (run kernel/build-minimal.sh)"));
            }
            case DEBIAN -> debian();
            default -> custom(Path.of(kernel));
        };
    }

    /** spec.kernel.path: any vmlinux, with the initramfs that carries modules (harmless when built in). */
    public GuestKernel custom(Path vmlinux) {
        return new GuestKernel("custom:" + vmlinux, vmlinux.toAbsolutePath(), initramfsOr("initramfs.cpio"));
    }

    private Optional<GuestKernel> minimalIfBuilt() {
        Path vmlinux = minimalDir().resolve("vmlinux");
        Path initrd = initramfsOr("initramfs-minimal.cpio");
        if (!Files.isReadable(vmlinux) || !Files.isReadable(initrd)) {
            return Optional.empty();
        }
        return Optional.of(new GuestKernel(version(minimalDir(), "minimal"), vmlinux, initrd));
    }

    /** Debian's cloud kernel with its modules: boots under every hypervisor. */
    public GuestKernel debian() {
        Path dir = Path.of(installDir, "kernel", "out").toAbsolutePath();
        return new GuestKernel(DEBIAN + "-" + version(dir, "unknown"), dir.resolve("vmlinux"), initramfsOr("initramfs.cpio"));
    }

    private Path minimalDir() {
        return Path.of(installDir, "kernel", "out-minimal").toAbsolutePath();
    }

    private Path initramfsOr(String defaultName) {
        return initramfs.map(Path::of).orElse(Path.of(installDir, "guest", "out", defaultName)).toAbsolutePath();
    }

    /** The VERSION file the kernel scripts write next to vmlinux. */
    private static String version(Path dir, String fallback) {
        try {
            String v = Files.readString(dir.resolve("VERSION")).trim();
            return v.isEmpty() ? fallback : v;
        } catch (IOException e) {
            return fallback;
        }
    }
}
