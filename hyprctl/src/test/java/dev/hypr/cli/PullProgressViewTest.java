package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.grpc.LayerProgress;
import dev.hypr.api.grpc.LayerState;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullPhase;
import dev.hypr.cli.output.Sizes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullProgressViewTest {
    private static final long MIB = 1 << 20;
    private static final String A = "sha256:" + "a1".repeat(32);
    private static final String B = "sha256:" + "b2".repeat(32);

    private static LayerProgress layer(String digest, long size, long done, LayerState state) {
        return LayerProgress.newBuilder().setDigest(digest).setSizeBytes(size).setBytesDone(done).setState(state).build();
    }

    private static PullImageProgress downloading(long atMillis, long aDone, long bDone) {
        LayerProgress a = layer(A, 10 * MIB, aDone, aDone == 0 ? LayerState.LAYER_WAITING
                : aDone >= 10 * MIB ? LayerState.LAYER_DOWNLOADED : LayerState.LAYER_DOWNLOADING);
        LayerProgress b = layer(B, 4 * MIB, bDone, bDone == 0 ? LayerState.LAYER_WAITING : LayerState.LAYER_DOWNLOADING);
        return PullImageProgress.newBuilder().setPhase(PullPhase.PULL_DOWNLOADING).setRef("docker.io/library/app:v1")
                .setPlatform("linux/amd64").setTimestampMillis(atMillis).addLayers(a).addLayers(b)
                .setBytesDone(aDone + bDone).setBytesTotal(14 * MIB).build();
    }

    @Test
    void terminalRedrawsOneLinePerLayerWithBarBytesRateAndEta() {
        StringWriter s = new StringWriter();
        PullProgressView v = new PullProgressView(new PrintWriter(s), true, 100);
        v.update(downloading(0, 0, 0));
        String first = s.toString();
        assertEquals(4, first.split("\n").length, first); // header, two layers, total
        v.update(downloading(2000, 2 * MIB, 0));
        String second = s.toString().substring(first.length());
        assertTrue(second.startsWith("\u001b[4A\r"), "moves up over the four lines it drew: " + second);
        List<String> lines = java.util.Arrays.stream(second.split("\n")).map(l -> l.replace("\u001b[4A", "").replace("\r", "").replace("\u001b[K", "")).toList();
        assertEquals("Pulling docker.io/library/app:v1 (linux/amd64)", lines.get(0));
        assertEquals("a1a1a1a1a1a1: [===>            ] 2.0 MiB / 10.0 MiB  1.0 MiB/s  ETA 8s", lines.get(1));
        assertEquals("b2b2b2b2b2b2: Waiting", lines.get(2));
        assertEquals("Total [==>             ] 2.0 MiB / 14.0 MiB  1.0 MiB/s  ETA 12s", lines.get(3));
    }

    @Test
    void terminalLinesAreCutToTheWidthSoRedrawingNeverWraps() {
        StringWriter s = new StringWriter();
        PullProgressView v = new PullProgressView(new PrintWriter(s), true, 40);
        v.update(downloading(0, MIB, 0));
        v.update(downloading(1000, 3 * MIB, 0));
        java.util.Arrays.stream(s.toString().split("\n")).map(l -> l.replaceAll("\u001b\\[\\d*[AK]", "").replace("\r", ""))
                .forEach(l -> assertTrue(l.length() < 40, l));
    }

    @Test
    void plainPrintsStateChangesOnceAndProgressAtMostEveryFiveSeconds() {
        StringWriter s = new StringWriter();
        PullProgressView v = new PullProgressView(new PrintWriter(s), false, 80);
        v.update(downloading(0, 0, 0));
        v.update(downloading(1000, MIB, 0));
        v.update(downloading(2000, 2 * MIB, 0)); // less than 5 s since the last line for this layer: nothing
        v.update(downloading(6000, 6 * MIB, MIB));
        v.update(downloading(7000, 10 * MIB, 4 * MIB));
        assertEquals(List.of(
                "Pulling docker.io/library/app:v1 (linux/amd64)",
                "a1a1a1a1a1a1: Waiting",
                "b2b2b2b2b2b2: Waiting",
                "a1a1a1a1a1a1: Downloading 1.0 MiB / 10.0 MiB",
                "a1a1a1a1a1a1: Downloading 6.0 MiB / 10.0 MiB (60%)  1.0 MiB/s  ETA 4s",
                "b2b2b2b2b2b2: Downloading 1.0 MiB / 4.0 MiB",
                "a1a1a1a1a1a1: Download complete"), s.toString().lines().toList());
    }

    @Test
    void rateComesFromTheLastFiveSecondsOfTimestampsAndRestartsWithTheTransfer() {
        PullProgressView v = new PullProgressView(new PrintWriter(new StringWriter()), false, 80);
        v.update(downloading(0, 0, 0));
        v.update(downloading(10_000, 8 * MIB, 0)); // an old, slow start ...
        v.update(downloading(12_000, 9 * MIB, 0)); // ... then 1 MiB in 2 s: only the last 5 s count
        assertEquals("  512.0 KiB/s  ETA 2s", v.rateAndEta(A, 9 * MIB, 10 * MIB));
        v.update(downloading(13_000, MIB, 0)); // restarted from scratch: no rate until two new samples
        assertEquals("", v.rateAndEta(A, MIB, 10 * MIB));
    }

    @Test
    void sizesAndEtasReadShort() {
        assertEquals("[================]", PullProgressView.bar(7, 7));
        assertEquals("[>               ]", PullProgressView.bar(0, 0));
        assertEquals("512 B", Sizes.bytes(512));
        assertEquals("1.5 GiB", Sizes.bytes(3L << 29));
        assertEquals("59s", Sizes.eta(Duration.ofSeconds(59)));
        assertEquals("1m05s", Sizes.eta(Duration.ofSeconds(65)));
        assertEquals("2h03m", Sizes.eta(Duration.ofMinutes(123)));
    }
}
