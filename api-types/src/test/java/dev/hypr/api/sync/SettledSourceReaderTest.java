package dev.hypr.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettledSourceReaderTest {
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();

    private static String volume(String name, int mib) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: " + name + "\nspec:\n  sizeMiB: " + mib + "\n";
    }

    /** Dates every file and directory back, as if the last edit was a minute ago. */
    private void age() throws Exception {
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    @Test
    void aQuietDirectoryIsRead() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        age();
        var outcome = SettledSourceReader.read(dir, "", QUIET, clock);
        SourceSnapshot snapshot = assertInstanceOf(SettledSourceReader.Settled.class, outcome).snapshot();
        assertEquals(1, snapshot.manifests().size());
    }

    @Test
    void aFileChangedWithinTheQuietPeriodWaitsForTheRest() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        age();
        Files.writeString(dir.resolve("a.yaml"), volume("a", 2));
        var outcome = SettledSourceReader.read(dir, "", QUIET, clock);
        var unsettled = assertInstanceOf(SettledSourceReader.Unsettled.class, outcome);
        assertTrue(unsettled.why().contains("a.yaml changed"), unsettled.why());
        assertTrue(unsettled.retryAfter().compareTo(QUIET) <= 0 && !unsettled.retryAfter().isNegative());
    }

    @Test
    void aDeletedFileCountsAsAChangeOfItsDirectory() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        Files.writeString(dir.resolve("b.yaml"), volume("b", 1));
        age();
        Files.delete(dir.resolve("b.yaml"));
        var unsettled = assertInstanceOf(SettledSourceReader.Unsettled.class, SettledSourceReader.read(dir, "", QUIET, clock));
        assertTrue(unsettled.why().contains("the directory"), unsettled.why());
    }

    @Test
    void editorScratchFilesAreNeverReadNorWatched() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        Files.writeString(dir.resolve(".a.yaml.swp"), "binary swap");
        Files.writeString(dir.resolve("a.yaml~"), "not: [valid");
        Files.writeString(dir.resolve("4913"), "");
        Files.writeString(dir.resolve(".#a.yaml"), "lock");
        age();
        SourceSnapshot snapshot = assertInstanceOf(SettledSourceReader.Settled.class,
                SettledSourceReader.read(dir, "", QUIET, clock)).snapshot();
        assertEquals(1, snapshot.manifests().size());
        assertTrue(snapshot.errors().isEmpty(), snapshot.errors().toString());
        for (String scratch : new String[] {".a.yaml.swp", "a.yaml~", "4913", ".#a.yaml", "#a.yaml#"}) {
            assertTrue(SettledSourceReader.isEditorScratch(scratch), scratch);
        }
        assertTrue(!SettledSourceReader.isEditorScratch("a.yaml"));
    }

    @Test
    void aGitOperationInProgressWaits() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("a.yaml"), volume("a", 1));
        Files.writeString(dir.resolve(".git/index.lock"), "");
        age();
        var unsettled = assertInstanceOf(SettledSourceReader.Unsettled.class,
                SettledSourceReader.read(deploy, "", QUIET, clock));
        assertTrue(unsettled.why().contains("index.lock"), unsettled.why());
        Files.delete(dir.resolve(".git/index.lock"));
        assertInstanceOf(SettledSourceReader.Settled.class, SettledSourceReader.read(deploy, "", QUIET, clock));
    }

    @Test
    void aWriteDuringTheReadChangesTheFingerprint() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        age();
        var before = SettledSourceReader.fingerprint(dir);
        Files.writeString(dir.resolve("a.yaml"), volume("a", 2)); // same size, later mtime
        assertNotEquals(before, SettledSourceReader.fingerprint(dir));
    }

    @Test
    void readWhenSettledWaitsOutABurst() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), volume("a", 1));
        long t0 = System.nanoTime();
        SourceSnapshot snapshot = SettledSourceReader.readWhenSettled(dir, "", Duration.ofMillis(200),
                Duration.ofSeconds(5), clock).orElseThrow();
        assertEquals(1, snapshot.manifests().size());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(150).toNanos(), "waited for the quiet period");
    }

    @Test
    void readWhenSettledGivesUpWhileGitHoldsTheLock() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/index.lock"), "");
        assertTrue(SettledSourceReader.readWhenSettled(dir, "", Duration.ofMillis(50), Duration.ofMillis(300), clock).isEmpty());
    }
}
