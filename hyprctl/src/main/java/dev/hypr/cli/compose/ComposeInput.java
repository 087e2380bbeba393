package dev.hypr.cli.compose;

import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.compose.ComposeFileNames;
import dev.hypr.api.compose.ComposeRequest;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.api.compose.ComposeTranslator;
import dev.hypr.cli.CliException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** From the project flags to a translated project: file discovery, the request, warnings and errors printed. */
public final class ComposeInput {
    private ComposeInput() {
    }

    /** {@code -f} files (relative to {@code cwd}), else the default names in the project directory. */
    public static List<Path> files(ProjectFlags flags, Path cwd) {
        if (!flags.files().isEmpty()) {
            List<Path> files = flags.files().stream().map(f -> cwd.resolve(f).normalize()).toList();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new CliException(f + ": no such compose file");
                }
            }
            return files;
        }
        Path dir = flags.projectDirectory() != null ? cwd.resolve(flags.projectDirectory()).normalize() : cwd;
        List<Path> found = ComposeFileNames.discover(dir);
        if (found.isEmpty()) {
            throw new CliException("no compose file in " + dir + " (looked for " + String.join(", ", ComposeFileNames.DEFAULTS)
                    + "); give one with -f");
        }
        return found;
    }

    public static ComposeRequest request(ProjectFlags flags, Path cwd, Map<String, String> environment) {
        Path workingDir = flags.projectDirectory() == null ? null : cwd.resolve(flags.projectDirectory()).normalize();
        List<Path> envFiles = flags.envFiles().stream().map(f -> cwd.resolve(f).normalize()).toList();
        return new ComposeRequest(files(flags, cwd), flags.projectName(), envFiles, flags.profiles(), environment, workingDir);
    }

    /**
     * Translates, printing every warning; on errors prints them all and fails with
     * "{@code whatHappened}" (e.g. "nothing was created").
     */
    public static ComposeResult translate(ComposeRequest request, PrintWriter err, String whatHappened) {
        ComposeResult result = ComposeTranslator.translate(request);
        report(result.warnings(), result.errors(), err, whatHappened);
        return result;
    }

    static void report(List<ManifestError> warnings, List<ManifestError> errors, PrintWriter err, String whatHappened) {
        warnings.forEach(w -> err.println("warning: " + w.format()));
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println("error: " + e.format()));
            throw new CliException(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in the compose files; "
                    + whatHappened);
        }
    }

    /**
     * The Stack's name for commands that need only the name ({@code ps}, {@code logs}, {@code down}...):
     * {@code -p} without reading any file, else the translated project's.
     */
    public static String stackName(ProjectFlags flags, Path cwd, Map<String, String> environment, PrintWriter err) {
        if (flags.projectName() != null) {
            String name = ComposeTranslator.projectName(flags.projectName());
            if (name.isEmpty()) {
                throw new CliException("-p " + flags.projectName() + ": a project name needs a letter or digit", 2);
            }
            return name;
        }
        ComposeResult result = ComposeTranslator.translate(request(flags, cwd, environment));
        // only errors matter here: the file's warnings belong to up/config/convert
        report(List.of(), result.errors(), err, "give the project name with -p");
        return result.stack().path("metadata").path("name").asText();
    }
}
