package dev.hypr.controller.vm;

import java.nio.file.Path;

/**
 * The kernel a VM boots and the Kestrel initramfs that goes with it. name is what
 * {@code status.kernel} and {@code describe vm} show: {@code minimal-<hash>} (hypr's own
 * build, kernel/build-minimal.sh), {@code debian-<version>} (Debian's cloud kernel plus its
 * modules in the initramfs) or {@code custom:<path>} (hypr.kernel or spec.kernel.path).
 */
public record GuestKernel(String name, Path vmlinux, Path initramfs) {
}
