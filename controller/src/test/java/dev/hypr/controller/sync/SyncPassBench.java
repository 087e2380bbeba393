package dev.hypr.controller.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hypr.api.sync.SourceDirectoryReader;
import dev.hypr.api.sync.SourceSnapshot;
import dev.hypr.api.sync.SyncAction;
import dev.hypr.api.sync.SyncEngine;
import dev.hypr.api.sync.SyncReport;
import dev.hypr.api.validation.ObjectValidator;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/sync-pass.sh: one Sync pass over 1,000 unchanged objects, as SyncReconciler runs it
 * (read + validate + plan against the store), timed after JIT warm-up. Not part of the suite
 * (no *Test suffix); it still fails if the pass writes anything.
 */
class SyncPassBench {
    private static final int OBJECTS = 1000;
    private static final int RUNS = 20;

    @TempDir
    Path dir;

    @Test
    void onePassOverThousandUnchangedObjects() throws Exception {
        for (int i = 0; i < OBJECTS / 10; i++) {
            StringBuilder file = new StringBuilder();
            for (int j = 0; j < 10; j++) {
                int n = i * 10 + j;
                file.append(n % 2 == 0
                        ? "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: vol-" + n
                                + "\n  labels: {team: bench}\nspec:\n  sizeMiB: " + (64 + n) + "\n"
                        : "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: net-" + n
                                + "\nspec:\n  subnet: 10." + (n / 256) + "." + (n % 256) + ".0/24\n").append("---\n");
            }
            Files.writeString(dir.resolve("objects-" + i + ".yaml"), file.toString());
        }
        CachedObjectStore store = new CachedObjectStore(new InMemoryPersistence(100_000), Clock.systemUTC());
        StoreSyncTarget target = new StoreSyncTarget(store);
        SyncEngine engine = new SyncEngine(ObjectValidator.standard());
        SyncReport first = engine.run("bench", SourceDirectoryReader.read(dir, ""), true, false, target);
        assertEquals(OBJECTS, first.count(SyncAction.CREATED));

        long revisionBefore = store.revision();
        List<Long> totalMicros = new ArrayList<>();
        List<Long> readMicros = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            long t0 = System.nanoTime();
            SourceSnapshot snapshot = SourceDirectoryReader.read(dir, "");
            long t1 = System.nanoTime();
            SyncReport report = engine.run("bench", snapshot, true, false, target);
            long t2 = System.nanoTime();
            assertEquals(OBJECTS, report.count(SyncAction.UNCHANGED));
            totalMicros.add((t2 - t0) / 1000);
            readMicros.add((t1 - t0) / 1000);
        }
        assertEquals(revisionBefore, store.revision(), "an unchanged pass must write nothing");
        String result = String.format("objects=%d runs=%d first(cold)=%d ms median=%d ms p90=%d ms"
                        + " read-median=%d ms store-revision-before=%d after=%d%n",
                OBJECTS, RUNS, totalMicros.get(0) / 1000, percentile(totalMicros, 50) / 1000,
                percentile(totalMicros, 90) / 1000, percentile(readMicros, 50) / 1000, revisionBefore, store.revision());
        System.out.print("sync-pass: " + result);
        Files.writeString(Path.of("target", "sync-pass-bench.txt"), result);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
