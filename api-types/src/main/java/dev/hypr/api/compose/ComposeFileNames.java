package dev.hypr.api.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which files are compose files: the names {@code hyprctl compose} looks for when no {@code -f} is
 * given (compose's, then the original hypr's), their override files, and the names a Sync source
 * directory translates into Stacks.
 */
public final class ComposeFileNames {
    /** In order of preference, as {@code docker compose} and then the original hypr look for them. */
    public static final List<String> DEFAULTS = List.of("compose.yaml", "compose.yml", "docker-compose.yaml",
            "docker-compose.yml", "hypr-compose.yml", "Hyprfile");

    private ComposeFileNames() {
    }

    /**
     * The files of the project in {@code dir}: the first default name present, plus its override
     * file ({@code compose.override.yaml} beside {@code compose.yaml}, ...) as compose merges it. Empty when none.
     */
    public static List<Path> discover(Path dir) {
        for (String name : DEFAULTS) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                List<Path> files = new ArrayList<>(List.of(file));
                override(file).ifPresent(files::add);
                return files;
            }
        }
        return List.of();
    }

    /** {@code compose.override.yaml} for {@code compose.yaml}, when it exists. */
    public static Optional<Path> override(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !(name.startsWith("compose.") || name.startsWith("docker-compose."))) {
            return Optional.empty();
        }
        Path override = file.resolveSibling(name.substring(0, dot) + ".override" + name.substring(dot));
        return Files.isRegularFile(override) ? Optional.of(override) : Optional.empty();
    }

    /** A project file a Sync directory translates: compose.y(a)ml, docker-compose.y(a)ml or NAME.compose.y(a)ml. */
    public static boolean isSyncProjectFile(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.equals("compose.yaml") || n.equals("compose.yml") || n.equals("docker-compose.yaml")
                || n.equals("docker-compose.yml") || namedProject(fileName).isPresent();
    }

    /** A file that only adds to another compose file (override), never a project on its own. */
    public static boolean isOverrideFile(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.matches("(docker-)?compose\\.override\\.ya?ml");
    }

    /** For {@code shop.compose.yaml}: "shop", the project name the file's name gives. */
    public static Optional<String> namedProject(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        for (String suffix : List.of(".compose.yaml", ".compose.yml")) {
            if (n.endsWith(suffix) && n.length() > suffix.length()) {
                return Optional.of(fileName.substring(0, fileName.length() - suffix.length()));
            }
        }
        return Optional.empty();
    }
}
