package dev.hypr.controller.vmm;

import dev.hypr.api.host.HostProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's TSC frequency in kHz. Under TCG the guest reads the host TSC, and microvm has
 * no HPET to calibrate against: without {@code tsc_early_khz} about half the boots stalled
 * ~10 s. Measured once and cached in the state directory.
 */
public final class HostTsc {
    private static final Pattern KERNEL_LOG =
            Pattern.compile("tsc: (?:Refined TSC clocksource calibration: |Detected )(\\d+)\\.(\\d{3}) MHz");
    private static final Pattern CPU_MHZ = Pattern.compile("(?m)^cpu MHz\\s*:\\s*(\\d+)\\.(\\d{3})");

    private HostTsc() {}

    public static Optional<Long> khz(Path cacheFile) {
        Optional<Long> cached = RuntimeFiles.readLong(cacheFile);
        if (cached.isPresent()) return cached;
        Optional<Long> measured = measure();
        measured.ifPresent(k -> {
            try {
                RuntimeFiles.writeAtomically(cacheFile, k + "\n");
            } catch (RuntimeException ignored) {
                // a read-only state dir only costs a re-measure next time
            }
        });
        return measured;
    }

    /** Most exact first: the sysfs value some kernels export, the kernel's own calibration, then cpuinfo. */
    static Optional<Long> measure() {
        Optional<Long> sysfs = RuntimeFiles.readLong(Path.of("/sys/devices/system/cpu/cpu0/tsc_freq_khz"));
        if (sysfs.isPresent()) return sysfs;
        Optional<Long> fromLog = run(HostProgram.DMESG.program()).flatMap(HostTsc::fromKernelLog);
        if (fromLog.isPresent()) return fromLog;
        return read("/proc/cpuinfo").flatMap(s -> match(CPU_MHZ, s));
    }

    static Optional<Long> fromKernelLog(String log) {
        return match(KERNEL_LOG, log);
    }

    private static Optional<Long> match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        Long last = null;
        while (m.find()) last = Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)); // the refined value comes later
        return Optional.ofNullable(last);
    }

    private static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> run(String cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
