package dev.hypr.api.sync;

import dev.hypr.api.codec.ManifestReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a source directory only as one moment of it had it, so a pass never applies half of a
 * multi-file edit or a checkout in progress:
 * <ol>
 *   <li>no {@code .git/index.lock} (git is changing the work tree) in the directory's repository;</li>
 *   <li>the directory is quiet: no manifest file or directory changed within the quiet period
 *       (a directory's mtime moves when a file in it is created, deleted or renamed);</li>
 *   <li>the size, mtime and inode of every manifest file and directory are the same after the
 *       read as before it. Since nothing was newer than the quiet period before the read, a
 *       write during it moves an mtime even on a coarse clock.</li>
 * </ol>
 * Otherwise the result says when to try again. Editors' temp and swap files ({@code .*.swp},
 * {@code .#*}, {@code *~}, {@code 4913}, any dotfile) are never read; they can only delay a pass
 * by touching a directory's mtime.
 */
public final class SettledSourceReader {
    /** Default quiet period before a pass: long enough for an editor's save or a script's burst. */
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(500);
    /** An mtime this far in the future is a clock skew or an archive's date, not an edit. */
    private static final Duration FUTURE_SLACK = Duration.ofSeconds(1);

    private SettledSourceReader() {
    }

    /** What one attempt gave: a settled read, or why not and when to try again. */
    public sealed interface Outcome permits Settled, Unsettled {
    }

    public record Settled(SourceSnapshot snapshot) implements Outcome {
    }

    public record Unsettled(Duration retryAfter, String why) implements Outcome {
    }

    /**
     * One attempt. {@code quiet} zero skips the quiet check (a checkout only hyprd writes) but
     * keeps the before/after comparison.
     */
    public static Outcome read(Path directory, String displayPrefix, Duration quiet, Clock clock) {
        Duration retry = quiet.isZero() ? Duration.ofMillis(100) : quiet;
        Optional<Path> lock = gitLock(directory);
        if (lock.isPresent()) {
            return new Unsettled(retry, "a git operation is in progress (" + lock.get() + " exists)");
        }
        Map<String, FileState> before;
        try {
            before = fingerprint(directory);
        } catch (IOException e) {
            // not there or not readable: the plain read reports it as an error, which applies nothing
            return new Settled(SourceDirectoryReader.read(directory, displayPrefix));
        }
        if (!quiet.isZero()) {
            Instant now = clock.instant();
            for (Map.Entry<String, FileState> e : before.entrySet()) {
                Instant changed = e.getValue().modified();
                Duration age = Duration.between(changed, now);
                if (age.compareTo(quiet) < 0 && age.compareTo(FUTURE_SLACK.negated()) > 0) {
                    Duration left = quiet.minus(age.isNegative() ? Duration.ZERO : age);
                    return new Unsettled(left, (e.getKey().isEmpty() ? "the directory" : e.getKey())
                            + " changed " + Math.max(0, age.toMillis()) + " ms ago");
                }
            }
        }
        SourceSnapshot snapshot = SourceDirectoryReader.read(directory, displayPrefix);
        Map<String, FileState> after;
        try {
            after = fingerprint(directory);
        } catch (IOException e) {
            return new Unsettled(retry, "the directory changed while being read: " + e.getMessage());
        }
        if (!before.equals(after)) {
            return new Unsettled(retry, "files changed while being read");
        }
        return new Settled(snapshot);
    }

    /**
     * Attempts until settled, sleeping as told between attempts, for {@code hyprctl sync}; gives
     * up (empty) when the directory has not settled within {@code maxWait}.
     */
    public static Optional<SourceSnapshot> readWhenSettled(Path directory, String displayPrefix, Duration quiet,
            Duration maxWait, Clock clock) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        while (true) {
            Outcome outcome = read(directory, displayPrefix, quiet, clock);
            if (outcome instanceof Settled settled) {
                return Optional.of(settled.snapshot());
            }
            Unsettled unsettled = (Unsettled) outcome;
            if (clock.instant().plus(unsettled.retryAfter()).isAfter(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(Math.max(10, unsettled.retryAfter().toMillis()));
        }
    }

    /** A name editors use for temp, swap or backup files; never a manifest, never a reason to wake. */
    public static boolean isEditorScratch(String fileName) {
        return fileName.startsWith(".") || fileName.endsWith("~") || fileName.equals("4913")
                || (fileName.startsWith("#") && fileName.endsWith("#"));
    }

    /** Size, mtime and inode of every directory and manifest file the read would look at. */
    static Map<String, FileState> fingerprint(Path directory) throws IOException {
        Map<String, FileState> out = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.filter(p -> !SourceDirectoryReader.isHidden(directory, p)).toList();
        } catch (UncheckedIOException e) { // a directory went away during the walk
            throw e.getCause();
        }
        for (Path p : paths) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
                out.put(directory.relativize(p).toString(), FileState.GONE);
                continue;
            }
            boolean manifest = a.isRegularFile()
                    && ManifestReader.isManifestFileName(p.getFileName().toString());
            if (a.isDirectory() || manifest) {
                out.put(directory.relativize(p).toString(),
                        new FileState(a.size(), a.lastModifiedTime().toInstant(), String.valueOf(a.fileKey())));
            }
        }
        return out;
    }

    /** The repository's index.lock when the directory is inside a git work tree and git holds it. */
    static Optional<Path> gitLock(Path directory) {
        for (Path d = directory.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path git = d.resolve(".git");
            if (Files.isDirectory(git, LinkOption.NOFOLLOW_LINKS)) {
                Path lock = git.resolve("index.lock");
                return Files.exists(lock) ? Optional.of(lock) : Optional.empty();
            }
            if (Files.isRegularFile(git)) { // a linked work tree: "gitdir: PATH"
                try {
                    String line = Files.readString(git).strip();
                    if (line.startsWith("gitdir:")) {
                        Path lock = d.resolve(line.substring("gitdir:".length()).strip()).resolve("index.lock");
                        return Files.exists(lock) ? Optional.of(lock) : Optional.empty();
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    record FileState(long size, Instant modified, String inode) {
        static final FileState GONE = new FileState(-1, Instant.EPOCH, "");
    }
}
