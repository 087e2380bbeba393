package dev.hypr.controller.vm;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The default guest kernel and Kestrel initramfs. scripts/install-deps.sh builds them under
 * the install directory (kernel/out, guest/out); hypr.kernel / hypr.initramfs override.
 */
@ApplicationScoped
public class GuestAssets {
    @ConfigProperty(name = "hypr.install-dir", defaultValue = ".")
    String installDir;

    @ConfigProperty(name = "hypr.kernel")
    Optional<String> kernel;

    @ConfigProperty(name = "hypr.initramfs")
    Optional<String> initramfs;

    public Path defaultKernel() {
        return kernel.map(Path::of).orElse(Path.of(installDir, "kernel", "out", "vmlinux")).toAbsolutePath();
    }

    public Path initramfs() {
        return initramfs.map(Path::of).orElse(Path.of(installDir, "guest", "out", "initramfs.cpio")).toAbsolutePath();
    }
}
