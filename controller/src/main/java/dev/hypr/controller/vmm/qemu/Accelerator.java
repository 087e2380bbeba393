package dev.hypr.controller.vmm.qemu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * KVM when it really works, TCG otherwise. Opening /dev/kvm is not enough: nested or sandboxed
 * KVM may refuse MSRs that QEMU sets at vCPU reset, so a paused QEMU is started once to probe.
 * HYPR_ACCEL=kvm|tcg overrides the probe.
 */
public enum Accelerator {
    KVM, TCG;

    private static volatile Accelerator detected;

    public static Accelerator detect(String qemuBinary) {
        String forced = System.getenv("HYPR_ACCEL");
        if (forced != null && !forced.isBlank()) return valueOf(forced.trim().toUpperCase());
        if (detected == null) detected = probe(qemuBinary) ? KVM : TCG;
        return detected;
    }

    private static boolean probe(String qemuBinary) {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) return false;
        try {
            Process p = new ProcessBuilder(qemuBinary, "-M", "microvm", "-accel", "kvm", "-cpu", "host", "-nodefaults",
                    "-no-user-config", "-display", "none", "-S", "-qmp", "stdio")
                    .redirectErrorStream(true).start();
            p.getOutputStream().write("{\"execute\":\"qmp_capabilities\"}{\"execute\":\"quit\"}\n".getBytes());
            p.getOutputStream().flush();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
