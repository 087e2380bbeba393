package dev.hypr.controller.vmm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A disk attached beside the rootfs: a raw image, the serial the guest finds it by
 * ({@code /sys/block/vdX/serial}; virtio-blk keeps at most 20 bytes), and whether it is read-only.
 */
public record VmDisk(Path file, String serial, boolean readOnly) {
    /** virtio-blk's VIRTIO_BLK_ID_BYTES. */
    public static final int MAX_SERIAL = 20;

    public VmDisk {
        Objects.requireNonNull(file);
        Objects.requireNonNull(serial);
        if (serial.isEmpty() || serial.length() > MAX_SERIAL || !serial.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("disk serial must be 1-" + MAX_SERIAL + " of [A-Za-z0-9._-]: " + serial);
        }
    }
}
