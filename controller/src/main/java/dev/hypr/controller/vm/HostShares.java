package dev.hypr.controller.vm;

import dev.hypr.api.host.HostProgram;
import dev.hypr.api.model.VmSpec;
import dev.hypr.api.model.VolumeMount;
import dev.hypr.controller.host.HostPrograms;
import dev.hypr.controller.vmm.VmShare;
import dev.hypr.controller.vmm.VmmDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A VM's {@code hostPath} volumes as virtiofs shares: checked before anything boots, so a VM
 * whose shares cannot work says why (a condition and an event) instead of booting without them.
 */
public final class HostShares {
    public static final String HOST_PATH_UNSUPPORTED = "HostPathUnsupported";
    public static final String HOST_PATH_INVALID = "HostPathInvalid";

    private HostShares() {
    }

    static List<VolumeMount> hostPathMounts(VmSpec spec) {
        if (spec.volumes() == null) {
            return List.of();
        }
        return spec.volumes().stream().filter(m -> m.hostPath() != null && !m.hostPath().isEmpty()).toList();
    }

    static boolean any(VmSpec spec) {
        return !hostPathMounts(spec).isEmpty();
    }

    /** Refuses shares the chosen hypervisor driver or this host cannot serve. */
    static void checkSupported(VmSpec spec, VmmDriver driver) {
        List<VolumeMount> mounts = hostPathMounts(spec);
        if (mounts.isEmpty()) {
            return;
        }
        String first = "spec.volumes[" + mounts.get(0).name() + "].hostPath";
        if (!driver.capabilities().virtiofs()) {
            throw new VmConfigException(HOST_PATH_UNSUPPORTED, first + ": the " + driver.kind()
                    + " driver cannot share host directories (virtiofs); use hypervisor: qemu");
        }
        List<HostProgram> needed = new ArrayList<>(List.of(HostProgram.VIRTIOFSD));
        if (mounts.stream().anyMatch(m -> Boolean.TRUE.equals(m.readOnly()))) {
            needed.addAll(List.of(HostProgram.UNSHARE, HostProgram.MOUNT));
        }
        List<HostProgram> missing = HostPrograms.missing(needed);
        if (!missing.isEmpty()) {
            throw new VmConfigException(HOST_PATH_UNSUPPORTED, first + " cannot be shared: " + HostPrograms.describeMissing(missing));
        }
    }

    /**
     * The shares of {@code spec}, tagged {@code hypr-N} in spec order. A missing directory is
     * created (compose's default) unless {@code createHostPath: false}; a path that is not a
     * directory is refused: virtiofs shares directories only.
     */
    static List<VmShare> prepare(VmSpec spec) {
        List<VmShare> out = new ArrayList<>();
        for (VolumeMount m : hostPathMounts(spec)) {
            String field = "spec.volumes[" + m.name() + "].hostPath";
            Path dir = Path.of(m.hostPath());
            if (m.hostPath().contains(",")) {
                // virtiofsd reads "-o source=..." as a comma-separated option list
                throw new VmConfigException(HOST_PATH_INVALID, field + ": " + dir + " holds a ',', which virtiofsd cannot take");
            }
            if (!Files.exists(dir)) {
                if (Boolean.FALSE.equals(m.createHostPath())) {
                    throw new VmConfigException(HOST_PATH_INVALID, field + ": " + dir + " does not exist (createHostPath is false)");
                }
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new VmConfigException(HOST_PATH_INVALID, field + ": cannot create " + dir + ": " + e);
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new VmConfigException(HOST_PATH_INVALID, field + ": " + dir + " is "
                        + (Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS) ? "a file" : "not a directory")
                        + "; only directories can be shared (virtiofs)");
            }
            if (m.mountPath().contains("\0")) {
                throw new VmConfigException(VmConfigException.INVALID_SPEC, "spec.volumes[" + m.name() + "].mountPath holds a NUL byte");
            }
            out.add(new VmShare(dir.toAbsolutePath(), "hypr-" + out.size(), m.mountPath(), Boolean.TRUE.equals(m.readOnly())));
        }
        return out;
    }
}
