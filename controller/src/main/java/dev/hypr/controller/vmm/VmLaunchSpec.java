package dev.hypr.controller.vmm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a driver needs to boot one VM. runtimeDir holds the VM's sockets, pid file,
 * console log and launch command; it belongs to this VM alone and delete removes it.
 */
public record VmLaunchSpec(String name, Path runtimeDir, Path kernel, Path initramfs, Path rootfs,
                           List<VmDisk> extraDisks, int cpus, int memoryMiB, List<String> kernelArgs,
                           GuestConfig guest, NetworkMode network, List<VmShare> shares) {
    /**
     * The least memory a VM gets (crds/vm.yaml's minimum too). Measured with the Debian guest
     * kernel under QEMU: the quickstart VM panics out of memory at 76 MiB and boots at 80; 128
     * leaves room for a real workload and a larger kernel.
     */
    public static final int MIN_MEMORY_MIB = 128;

    public VmLaunchSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(runtimeDir);
        Objects.requireNonNull(kernel);
        Objects.requireNonNull(initramfs);
        Objects.requireNonNull(rootfs);
        Objects.requireNonNull(guest);
        Objects.requireNonNull(network);
        extraDisks = List.copyOf(extraDisks);
        shares = List.copyOf(shares);
        kernelArgs = List.copyOf(kernelArgs);
        if (cpus < 1) throw new IllegalArgumentException("cpus must be >= 1");
        if (memoryMiB < MIN_MEMORY_MIB) throw new IllegalArgumentException("memoryMiB must be >= " + MIN_MEMORY_MIB);
    }

    /** Without host directory shares. */
    public VmLaunchSpec(String name, Path runtimeDir, Path kernel, Path initramfs, Path rootfs,
                        List<VmDisk> extraDisks, int cpus, int memoryMiB, List<String> kernelArgs,
                        GuestConfig guest, NetworkMode network) {
        this(name, runtimeDir, kernel, initramfs, rootfs, extraDisks, cpus, memoryMiB, kernelArgs, guest, network, List.of());
    }

    /** The same spec with these disks beside the rootfs (a VM's volumes). */
    public VmLaunchSpec withExtraDisks(List<VmDisk> disks) {
        return new VmLaunchSpec(name, runtimeDir, kernel, initramfs, rootfs, disks, cpus, memoryMiB, kernelArgs, guest, network, shares);
    }

    /** The same spec with these host directories shared over virtiofs; Kestrel learns them from the boot config. */
    public VmLaunchSpec withShares(List<VmShare> dirs) {
        return new VmLaunchSpec(name, runtimeDir, kernel, initramfs, rootfs, extraDisks, cpus, memoryMiB, kernelArgs,
                guest.withShares(dirs.stream().map(VmShare::bootEntry).toList()), network, dirs);
    }

    /** The same spec with another guest config (e.g. with the volumes Kestrel mounts). */
    public VmLaunchSpec withGuest(GuestConfig config) {
        return new VmLaunchSpec(name, runtimeDir, kernel, initramfs, rootfs, extraDisks, cpus, memoryMiB, kernelArgs, config, network);
    }
}
