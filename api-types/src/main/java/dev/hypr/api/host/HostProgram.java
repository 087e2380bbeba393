package dev.hypr.api.host;

import java.util.Optional;

/**
 * Every program hyprd and hyprctl start on the host, with the Debian package that provides it.
 * Code names programs only through this registry, so the list is complete by construction;
 * {@code scripts/install-deps.sh} installs each package (a unit test checks it), and a program
 * missing at run time is reported as "{@code nft not found (install nftables)}".
 */
public enum HostProgram {
    IP("ip", "iproute2", "creates bridges and TAP devices of bridged Networks"),
    BRIDGE("bridge", "iproute2", "forwarding entries of a Network's VXLAN between nodes"),
    NFT("nft", "nftables", "masquerades a bridged Network's egress traffic"),
    SYSCTL("sysctl", "procps", "enables IPv4 forwarding for bridged Networks"),
    QEMU("qemu-system-x86_64", "qemu-system-x86", "the VMM (QEMU microvm)"),
    CLOUD_HYPERVISOR("cloud-hypervisor", null, "the optional second VMM, used only where its binary is present"),
    SETSID("setsid", "util-linux", "detaches cloud-hypervisor from hyprd's session"),
    SH("sh", "dash", "records cloud-hypervisor's pid before exec"),
    DMESG("dmesg", "util-linux", "reads the host's TSC frequency for TCG guests"),
    TAR2SQFS("tar2sqfs", "squashfs-tools-ng", "packs a pulled image's merged layers into a squashfs"),
    MKSQUASHFS("mksquashfs", "squashfs-tools", "packs a directory rootfs into a squashfs"),
    UNSQUASHFS("unsquashfs", "squashfs-tools", "reads /etc/passwd and /etc/group out of an image for spec.user"),
    STTY("stty", "coreutils", "hyprctl exec -t: puts the terminal in raw mode and reads its size"),
    MKFS_EXT4("mkfs.ext4", "e2fsprogs", "formats a Volume's disk image"),
    E2FSCK("e2fsck", "e2fsprogs", "checks a Volume's filesystem before it is grown"),
    RESIZE2FS("resize2fs", "e2fsprogs", "grows a Volume's filesystem"),
    STAT("stat", "coreutils", "reads the blocks a Volume's sparse image really holds on the host"),
    VIRTIOFSD("virtiofsd", "qemu-system-common",
            "shares a VM's hostPath directories over virtiofs (Debian installs it as /usr/lib/qemu/virtiofsd; install-deps.sh links it onto PATH)"),
    UNSHARE("unshare", "util-linux", "gives a read-only share's virtiofsd its own mount namespace"),
    MOUNT("mount", "mount", "bind-mounts a read-only share's directory read-only inside virtiofsd's mount namespace");

    private final String program;
    private final String debianPackage;
    private final String purpose;

    HostProgram(String program, String debianPackage, String purpose) {
        this.program = program;
        this.debianPackage = debianPackage;
        this.purpose = purpose;
    }

    /** The name looked up on PATH. */
    public String program() {
        return program;
    }

    /** The Debian 12 package that installs it; empty for an optional program Debian does not package. */
    public Optional<String> debianPackage() {
        return Optional.ofNullable(debianPackage);
    }

    public String purpose() {
        return purpose;
    }

    /** What a user reads when it is missing: {@code nft not found (install nftables)}. */
    public String notFoundMessage() {
        return program + " not found (" + debianPackage().map(p -> "install " + p).orElse("optional; not packaged for Debian 12") + ")";
    }
}
