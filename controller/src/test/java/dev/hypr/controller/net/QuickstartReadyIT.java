package dev.hypr.controller.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.it.Hyprctl;
import dev.hypr.controller.it.HyprdProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart as a user runs it, 20 times on fresh applies: {@code hyprctl apply -f
 * examples/quickstart/}, {@code wait --for=condition=Ready}, then at once one HTTP request to the
 * published port — no retry. Its httpGet health check is what makes Ready mean "answers".
 * hyprd runs in a network namespace so host port 8080 is the test's own.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QuickstartReadyIT {
    private static final int ROUNDS = 20;

    @TempDir
    Path home;

    @Test
    void readyMeansTheForwardedPortAnswersTwentyTimesOutOfTwenty() throws Exception {
        Assumptions.assumeTrue(NetNs.available(), "needs root and iproute2 for a network namespace");
        Path quickstart = HyprdProcess.root().resolve("examples/quickstart");
        try (NetworkCluster c = NetworkCluster.start(home.resolve("hypr"))) {
            Hyprctl hyprctl = new Hyprctl(c.hyprd.socket(), home);
            List<Long> readyMs = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                long t0 = System.nanoTime();
                Hyprctl.Run applied = hyprctl.run("apply", "-f", quickstart.toString());
                assertEquals(0, applied.exitCode(), applied.toString());
                Hyprctl.Run ready = hyprctl.run("wait", "vm/web", "--for=condition=Ready", "--timeout=90s");
                assertEquals(0, ready.exitCode(), "round " + round + ": " + ready + "\n" + c.status("web"));
                Optional<String> page = c.curl("http://127.0.0.1:8080/");
                readyMs.add((System.nanoTime() - t0) / 1_000_000);
                assertTrue(page.isPresent(), "round " + round + ": Ready but the published port did not answer; status "
                        + c.status("web"));
                Hyprctl.Run deleted = hyprctl.run("delete", "vm", "web", "--wait");
                assertEquals(0, deleted.exitCode(), deleted.toString());
            }
            System.out.println("quickstart: apply to Ready and answering, ms per round: " + readyMs);
        }
    }
}
