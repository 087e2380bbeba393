package dev.hypr.controller.vmm.qemu;

import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmHandle;
import dev.hypr.controller.vmm.VmLaunchSpec;
import dev.hypr.controller.vmm.VirtiofsDaemons;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The qemu-system-x86_64 command line for one microVM. Pure, so tests pin it down. Choices
 * measured under TCG (issue 3): uncompressed vmlinux booted via PVH, uncompressed initramfs,
 * microvm with ACPI on (the Debian kernel needs it), -smp as asked (1 boots fastest),
 * reboot=t with -no-reboot so a guest reboot ends QEMU, cryptomgr.notests, tsc_early_khz.
 * Only a VM with host directory shares gets the memfd memory backend and modern virtio-mmio
 * that vhost-user-fs needs (docs/architecture.md, "Host directories over virtiofs").
 */
public final class QemuCommandBuilder {
    public static final String AGENT_PORT_NAME = "dev.hypr.agent";
    public static final String NETDEV_ID = "n0";
    static final String MEMORY_ID = "mem";

    private final String binary;
    private final boolean memMerge;

    public QemuCommandBuilder(String binary) {
        this(binary, false);
    }

    /**
     * @param memMerge QEMU's mem-merge: guest RAM marked mergeable for the host's KSM (hypr.ksm).
     *     Off by default: merging identical pages across VMs lets one guest time another's memory
     *     (copy-on-write on a merged page is measurably slow), and it only saves memory where the
     *     host admin runs ksmd (/sys/kernel/mm/ksm/run), at that daemon's CPU cost.
     */
    public QemuCommandBuilder(String binary, boolean memMerge) {
        this.binary = binary;
        this.memMerge = memMerge;
    }

    public List<String> build(VmLaunchSpec spec, VmHandle handle, Accelerator accel, Optional<Long> tscKhz) {
        boolean shares = !spec.shares().isEmpty();
        List<String> cmd = new ArrayList<>(List.of(binary,
                "-name", "hypr-" + spec.name() + ",process=hypr-" + spec.name(),
                "-M", "microvm,acpi=on,mem-merge=" + (memMerge ? "on" : "off") + (shares ? ",memory-backend=" + MEMORY_ID : ""),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-smp", Integer.toString(spec.cpus()), "-m", spec.memoryMiB() + "M"));
        if (shares) {
            // vhost-user: virtiofsd maps guest memory, so it must be a shareable memfd; vhost-user-fs
            // needs virtio 1.0 over MMIO (microvm defaults to legacy virtio-mmio)
            cmd.addAll(List.of("-object", "memory-backend-memfd,id=" + MEMORY_ID + ",size=" + spec.memoryMiB() + "M,share=on",
                    "-global", "virtio-mmio.force-legacy=false"));
        }
        if (accel == Accelerator.KVM) cmd.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        else cmd.addAll(List.of("-accel", "tcg,tb-size=16")); // smaller translation cache: ~15 MiB less RSS per VM
        cmd.addAll(List.of("-kernel", spec.kernel().toString(), "-initrd", spec.initramfs().toString(),
                "-append", kernelCommandLine(spec, accel, tscKhz)));
        cmd.addAll(List.of("-chardev", "file,id=console,path=" + handle.consoleLog(), "-serial", "chardev:console"));
        addDisk(cmd, "root", spec.rootfs(), true, null);
        for (int i = 0; i < spec.extraDisks().size(); i++) {
            var d = spec.extraDisks().get(i);
            addDisk(cmd, "disk" + (i + 1), d.file(), d.readOnly(), d.serial());
        }
        // free page reporting: the guest hands pages it freed (the unpacked initramfs, boot-time
        // allocations) back, so they leave the host RSS; a kernel without the driver ignores it
        cmd.addAll(List.of("-device", "virtio-balloon-device,free-page-reporting=on"));
        cmd.addAll(List.of("-device", "virtio-serial-device",
                "-chardev", "socket,id=agent,path=" + handle.agentSocket() + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + AGENT_PORT_NAME));
        for (int i = 0; i < spec.shares().size(); i++) {
            cmd.addAll(List.of("-chardev", "socket,id=fs" + i + ",path=" + VirtiofsDaemons.socket(handle, i),
                    "-device", "vhost-user-fs-device,chardev=fs" + i + ",tag=" + spec.shares().get(i).tag()));
        }
        if (spec.network() instanceof NetworkMode.UserMode user) {
            StringBuilder netdev = new StringBuilder("user,id=" + NETDEV_ID);
            user.forwards().forEach(f -> netdev.append(",hostfwd=").append(f.toQemuRule()));
            cmd.addAll(List.of("-netdev", netdev.toString(), "-device", "virtio-net-device,netdev=" + NETDEV_ID));
        } else if (spec.network() instanceof NetworkMode.Tap tap) {
            cmd.addAll(List.of("-netdev", "tap,id=" + NETDEV_ID + ",ifname=" + tap.tapName() + ",script=no,downscript=no",
                    "-device", "virtio-net-device,netdev=" + NETDEV_ID + ",mac=" + tap.mac()));
        }
        // -daemonize: QEMU forks, calls setsid and exits once the VM is set up, so the VM
        // survives hyprd dying; the pid file names the daemon for observe/adoption.
        cmd.addAll(List.of("-qmp", "unix:" + handle.controlSocket() + ",server=on,wait=off",
                "-pidfile", handle.pidFile().toString(), "-daemonize"));
        return cmd;
    }

    /**
     * A value inside a QEMU option string ("a=x,b=y"): QEMU reads ",," as a literal comma, so a
     * path like "/x/inj,file=/x/other" stays one value instead of adding an option.
     */
    static String optionValue(String value) {
        return value.replace(",", ",,");
    }

    String kernelCommandLine(VmLaunchSpec spec, Accelerator accel, Optional<Long> tscKhz) {
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "reboot=t", "panic=-1", "cryptomgr.notests", "quiet",
                "8250.nr_uarts=1"));
        if (accel == Accelerator.TCG) tscKhz.ifPresent(k -> args.add("tsc_early_khz=" + k));
        args.addAll(spec.kernelArgs());
        args.add("hypr.cfg=" + spec.guest().encodeBoot()); // the workload config goes over the agent channel
        String line = String.join(" ", args);
        // x86 COMMAND_LINE_SIZE: longer lines are silently truncated by the kernel
        if (line.length() >= 2048) throw new IllegalArgumentException("kernel command line over 2047 bytes (guest config too large)");
        return line;
    }

    /** A read-only drive is read-only to the guest too (virtio-blk's RO feature): writes fail in the guest. */
    private static void addDisk(List<String> cmd, String id, Path file, boolean readOnly, String serial) {
        cmd.addAll(List.of("-drive", "id=" + id + ",file=" + optionValue(file.toString()) + ",format=raw,if=none"
                        + (readOnly ? ",readonly=on" : ""),
                "-device", "virtio-blk-device,drive=" + id + (serial == null ? "" : ",serial=" + serial)));
    }
}
