package dev.hypr.api.sync;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.ComposeFileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a GitOps directory: every *.yaml/*.yml/*.json below it, recursively, skipping dotfiles
 * and dot-directories (.git, editor swap files). Compose project files ({@link ComposeFileNames#isSyncProjectFile})
 * are translated into a Stack each ({@link ComposeSources}); other compose-like names are skipped with a
 * note. One read may see a half-done edit: passes go through
 * {@link SettledSourceReader}, which only returns a read that no file changed during.
 */
public final class SourceDirectoryReader {
    /** Largest manifest file read; the same bound the codec applies to single files. */
    private static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    private static final Pattern COMPOSE_FILE = Pattern.compile("(docker-)?compose([.-].*)?\\.ya?ml");

    private SourceDirectoryReader() {
    }

    /**
     * Reads {@code directory}; files are named in positions and errors as {@code displayPrefix}
     * followed by their path relative to the directory ("examples/gitops/" + "vms.yaml").
     */
    public static SourceSnapshot read(Path directory, String displayPrefix) {
        if (!Files.isDirectory(directory)) {
            ManifestError error = new ManifestError(new SourcePosition(displayPrefix.isEmpty() ? directory.toString()
                    : displayPrefix, 1, 1), "", "", "not a directory (or it does not exist)");
            return new SourceSnapshot(List.of(), List.of(error), "", List.of());
        }
        List<Path> files;
        try {
            files = manifestFiles(directory);
        } catch (IOException e) {
            ManifestError error = new ManifestError(new SourcePosition(directory.toString(), 1, 1), "", "",
                    "cannot list directory: " + e.getMessage());
            return new SourceSnapshot(List.of(), List.of(error), "", List.of());
        }
        List<Manifest> manifests = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        MessageDigest hash = sha256();
        for (Path file : files) {
            String relative = relativeName(directory, file);
            String display = displayPrefix + relative;
            String fileName = file.getFileName().toString();
            boolean composeProject = ComposeFileNames.isSyncProjectFile(fileName);
            boolean composeOverride = ComposeFileNames.isOverrideFile(fileName);
            if (!composeProject && !composeOverride
                    && COMPOSE_FILE.matcher(fileName.toLowerCase(Locale.ROOT)).matches()) {
                notes.add(display + ": skipped: Sync translates compose files named compose.yaml, docker-compose.yml"
                        + " (with their .override file) or NAME.compose.yaml");
                continue;
            }
            byte[] content;
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    errors.add(new ManifestError(new SourcePosition(display, 1, 1), "", "",
                            "file is larger than the 32 MiB limit for manifests"));
                    continue;
                }
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                errors.add(new ManifestError(new SourcePosition(display, 1, 1), "", "", "cannot read: " + e.getMessage()));
                continue;
            }
            // Path and content, NUL-separated, so moving content between files changes the hash too.
            hash.update(relative.getBytes(StandardCharsets.UTF_8));
            hash.update((byte) 0);
            hash.update(content);
            hash.update((byte) 0);
            if (composeOverride) {
                continue; // merged into its compose.yaml's Stack (hashed above, so editing it is a new revision)
            }
            if (composeProject) {
                ComposeSources.translate(directory, displayPrefix, file, manifests, errors, notes);
                continue;
            }
            ReadResult one = ManifestReader.readDocuments(display, content);
            manifests.addAll(one.manifests());
            errors.addAll(one.errors());
        }
        return new SourceSnapshot(manifests, errors, "sha256:" + HexFormat.of().formatHex(hash.digest()), notes);
    }

    static List<Path> manifestFiles(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> !isHidden(directory, p))
                    .filter(Files::isRegularFile)
                    .filter(p -> ManifestReader.isManifestFileName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    /** A dotfile, or anything below a dot-directory, relative to the source root. */
    static boolean isHidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relativeName(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
