package dev.hypr.controller.vmm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory shared into the guest over virtiofs: one virtiofsd serves {@code hostDir},
 * the guest mounts the filesystem named {@code tag} at {@code mountPath}. readOnly is enforced on
 * both sides: virtiofsd serves a read-only bind of the directory, and Kestrel mounts it MS_RDONLY.
 */
public record VmShare(Path hostDir, String tag, String mountPath, boolean readOnly) {
    /** virtio-fs's tag field (struct virtio_fs_config) holds 36 bytes. */
    public static final int MAX_TAG = 36;

    public VmShare {
        Objects.requireNonNull(hostDir);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(mountPath);
        if (!hostDir.isAbsolute()) throw new IllegalArgumentException("share directory must be absolute: " + hostDir);
        if (tag.isEmpty() || tag.length() > MAX_TAG || !tag.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("share tag must be 1-" + MAX_TAG + " of [A-Za-z0-9._-]: " + tag);
        }
        if (!mountPath.startsWith("/")) throw new IllegalArgumentException("share mountPath must be absolute: " + mountPath);
    }

    /** Kestrel's boot key value (guest/PROTOCOL.md): {@code <tag>:<mountPath>:<ro|rw>}. */
    public String bootEntry() {
        return tag + ":" + mountPath + ":" + (readOnly ? "ro" : "rw");
    }
}
