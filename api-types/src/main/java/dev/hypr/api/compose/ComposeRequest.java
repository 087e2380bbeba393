package dev.hypr.api.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code hyprctl compose} was asked to translate.
 *
 * @param files       compose files in order (later ones override earlier ones); at least one
 * @param projectName {@code -p}, or null to take it from COMPOSE_PROJECT_NAME, {@code name:} or the directory
 * @param envFiles    {@code --env-file} paths; when empty, {@code .env} in the project directory if it exists
 * @param profiles    {@code --profile} values; COMPOSE_PROFILES adds to them
 * @param environment the caller's environment (the shell's), which wins over env files
 * @param workingDir  the project directory for relative paths; null means the first file's directory
 */
public record ComposeRequest(List<Path> files, String projectName, List<Path> envFiles, List<String> profiles,
                             Map<String, String> environment, Path workingDir) {
    public ComposeRequest {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("at least one compose file is needed");
        }
        files = List.copyOf(files);
        envFiles = envFiles == null ? List.of() : List.copyOf(envFiles);
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** One file, no flags, an empty environment. */
    public static ComposeRequest of(Path file) {
        return new ComposeRequest(List.of(file), null, List.of(), List.of(), Map.of(), null);
    }

    public ComposeRequest withEnvironment(Map<String, String> env) {
        return new ComposeRequest(files, projectName, envFiles, profiles, env, workingDir);
    }

    public ComposeRequest withProfiles(List<String> active) {
        return new ComposeRequest(files, projectName, envFiles, active, environment, workingDir);
    }

    public ComposeRequest withProjectName(String name) {
        return new ComposeRequest(files, name, envFiles, profiles, environment, workingDir);
    }

    public ComposeRequest withEnvFiles(List<Path> paths) {
        return new ComposeRequest(files, projectName, paths, profiles, environment, workingDir);
    }
}
