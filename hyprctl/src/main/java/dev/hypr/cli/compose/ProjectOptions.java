package dev.hypr.cli.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The project flags of {@code hyprctl compose}, accepted before and after the command
 * ({@code compose -f a.yaml up} and {@code compose up -f a.yaml}; see {@link ProjectFlags#over}).
 * {@code logs} takes {@link LongOnly}, since its {@code -f} is --follow.
 */
public final class ProjectOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Compose file (repeatable; later files override"
            + " earlier ones). Default: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml,"
            + " hypr-compose.yml or Hyprfile in the current directory.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "Project (Stack) name.")
    String projectName;

    @Option(names = "--profile", paramLabel = "PROFILE", description = "Enable services of this profile (repeatable).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Environment file instead of .env (repeatable).")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = "--project-directory", paramLabel = "DIR",
            description = "Directory compose files are looked for in (default: the current directory).")
    Path projectDirectory;

    public ProjectFlags flags() {
        return new ProjectFlags(files, projectName, profiles, envFiles, projectDirectory);
    }

    /** The same flags without {@code -f} (for {@code logs}, whose -f is --follow). */
    public static final class LongOnly {
        @Option(names = "--file", paramLabel = "FILE", description = "Compose file (repeatable).")
        List<Path> files = new ArrayList<>();

        @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "Project (Stack) name.")
        String projectName;

        @Option(names = "--profile", paramLabel = "PROFILE", description = "Enable services of this profile (repeatable).")
        List<String> profiles = new ArrayList<>();

        @Option(names = "--env-file", paramLabel = "FILE", description = "Environment file instead of .env (repeatable).")
        List<Path> envFiles = new ArrayList<>();

        @Option(names = "--project-directory", paramLabel = "DIR", description = "Directory compose files are looked for in.")
        Path projectDirectory;

        public ProjectFlags flags() {
            return new ProjectFlags(files, projectName, profiles, envFiles, projectDirectory);
        }
    }
}
