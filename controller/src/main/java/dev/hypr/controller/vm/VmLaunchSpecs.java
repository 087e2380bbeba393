package dev.hypr.controller.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.model.VmSpec;
import dev.hypr.controller.vmm.GuestConfig;
import dev.hypr.controller.vmm.NetworkMode;
import dev.hypr.controller.vmm.VmLaunchSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Turns a VM's spec into what a driver boots, and says which spec changes need a reboot. */
public final class VmLaunchSpecs {
    private VmLaunchSpecs() {
    }

    /** For a spec with {@code rootfs} and {@code command}: no image defaults to merge. */
    public static VmLaunchSpec build(String name, VmSpec spec, Path runtimeDir, Path kernel, Path initramfs, Path rootfs,
            long hostMemoryMiB) {
        return build(name, spec, runtimeDir, kernel, initramfs,
                WorkloadSource.merge(spec, rootfs, null, ImageUsers.NUMERIC_ONLY), hostMemoryMiB);
    }

    public static VmLaunchSpec build(String name, VmSpec spec, Path runtimeDir, Path kernel, Path initramfs, Workload workload,
            long hostMemoryMiB) {
        int memory = spec.memoryMiB() == null ? 256 : spec.memoryMiB();
        if (hostMemoryMiB > 0 && memory > hostMemoryMiB) {
            throw new VmConfigException(VmConfigException.INSUFFICIENT_MEMORY, "spec.memoryMiB " + memory + " is more than this host has (" + hostMemoryMiB + " MiB)");
        }
        if (!Files.isReadable(kernel)) {
            throw new VmConfigException(VmConfigException.KERNEL_NOT_FOUND, "kernel " + kernel + " not found (run scripts/install-deps.sh, or set spec.kernel.path)");
        }
        if (!Files.isReadable(initramfs)) {
            throw new VmConfigException(VmConfigException.INITRAMFS_NOT_FOUND, "Kestrel initramfs " + initramfs + " not found (run scripts/install-deps.sh)");
        }
        Path rootfs = workload.rootfs();
        GuestConfig guest = new GuestConfig(workload.argv(), workload.env(), workload.workingDir(), workload.user(),
                Optional.of(spec.hostname() != null ? spec.hostname() : name), Optional.empty(), Optional.empty(), List.of(), List.of(), restartPolicy(spec.restartPolicy()),
                workload.secrets()).withHealth(workload.health());
        try {
            guest.encodeWorkload(); // refused here, as a condition, rather than by the driver
        } catch (IllegalArgumentException e) {
            throw new VmConfigException(VmConfigException.INVALID_SPEC, e.getMessage());
        }
        NetworkMode network = network(spec);
        if (network instanceof NetworkMode.UserMode) {
            guest = guest.withNetwork(NetworkMode.UserMode.GUEST_CIDR, NetworkMode.UserMode.GATEWAY,
                    List.of(NetworkMode.UserMode.DNS));
        }
        List<String> kernelArgs = new ArrayList<>();
        if (spec.kernel() != null && spec.kernel().cmdline() != null && !spec.kernel().cmdline().isBlank()) {
            kernelArgs.addAll(List.of(spec.kernel().cmdline().trim().split("\\s+")));
        }
        return new VmLaunchSpec(name, runtimeDir, kernel, initramfs, rootfs, List.of(),
                spec.cpus() == null ? 1 : spec.cpus(), memory, kernelArgs, guest, network);
    }

    /**
     * "user" is QEMU user-mode networking; "none" has no NIC. A VM on a Network starts from no
     * NIC here: its TAP comes from the bridge backend at boot (BridgeAttachment.applyTo).
     * Published ports are not on the command line: the forward reconciler adds them live, so a
     * taken host port is a PortConflict, not a failed boot.
     */
    static NetworkMode network(VmSpec spec) {
        if ("user".equals(spec.network())) {
            return new NetworkMode.UserMode(List.of());
        }
        return NetworkMode.NONE;
    }

    static GuestConfig.RestartPolicy restartPolicy(String policy) {
        if (policy == null) {
            return GuestConfig.RestartPolicy.ALWAYS;
        }
        return switch (policy) {
            case "Never" -> GuestConfig.RestartPolicy.NEVER;
            case "OnFailure" -> GuestConfig.RestartPolicy.ON_FAILURE;
            default -> GuestConfig.RestartPolicy.ALWAYS;
        };
    }

    /**
     * Hash of everything that is fixed at boot: all of spec but {@code running}, which only
     * starts and stops, and the placement fields. Keys are sorted so field order never causes a reboot.
     */
    public static String specHash(JsonNode spec) {
        ObjectNode copy = spec == null ? Json.MAPPER.createObjectNode() : (ObjectNode) spec.deepCopy();
        copy.remove("running");
        // placement is not the guest's: binding a VM (or its selector) never reboots it
        copy.remove("nodeName");
        copy.remove("nodeSelector");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Json.write(Json.sortedKeys(copy)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    /** MemTotal of /proc/meminfo in MiB, 0 when unknown. */
    public static long hostMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException ignored) {
            // unknown: no check
        }
        return 0;
    }
}
