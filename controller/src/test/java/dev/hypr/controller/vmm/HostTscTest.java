package dev.hypr.controller.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTscTest {
    @Test
    void prefersTheRefinedCalibration() {
        String log = "[0.000077] tsc: Detected 2445.430 MHz processor\n[1.2] tsc: Refined TSC clocksource calibration: 2445.412 MHz\n";
        assertEquals(Optional.of(2445412L), HostTsc.fromKernelLog(log));
        assertEquals(Optional.empty(), HostTsc.fromKernelLog("nothing here"));
    }

    @Test
    void cachesTheMeasurement(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache/tsc_khz");
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "1234567\n");
        assertEquals(Optional.of(1234567L), HostTsc.khz(cache));
    }

    @Test
    void measuresSomethingPlausibleHere() {
        HostTsc.measure().ifPresent(k -> assertTrue(k > 100_000 && k < 10_000_000, k + " kHz"));
    }
}
