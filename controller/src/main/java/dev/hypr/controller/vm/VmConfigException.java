package dev.hypr.controller.vm;

import dev.hypr.controller.runtime.TerminalException;

/**
 * A VM that cannot boot until the user changes its spec or the host (missing kernel, bad
 * rootfs, too much memory). The reason becomes the Ready condition's reason, so
 * {@code hyprctl get} and scripts can tell the cases apart without parsing the message.
 */
public final class VmConfigException extends TerminalException {
    public static final String KERNEL_NOT_FOUND = "KernelNotFound";
    public static final String INITRAMFS_NOT_FOUND = "InitramfsNotFound";
    public static final String ROOTFS_NOT_FOUND = "RootfsNotFound";
    public static final String ROOTFS_INVALID = "RootfsInvalid";
    public static final String INSUFFICIENT_MEMORY = "InsufficientMemory";
    public static final String INSUFFICIENT_CPUS = "InsufficientCPUs";
    public static final String UNKNOWN_HYPERVISOR = "UnknownHypervisor";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SECRET_UNREADABLE = "SecretUnreadable";

    private final String reason;

    public VmConfigException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
