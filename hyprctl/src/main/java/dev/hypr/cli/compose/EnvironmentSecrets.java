package dev.hypr.cli.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Secrets (and configs) whose source is the caller's environment ({@code environment: VAR}) have no
 * value hyprd could read: the client writes each value to a file only its user can read (0600, in a
 * 0700 directory) and gives the Stack that file as {@code hostPath}. The value never enters an
 * object, a command line or a log. {@code down} removes the directory.
 */
public final class EnvironmentSecrets {
    private EnvironmentSecrets() {
    }

    /** {@code $XDG_STATE_HOME/hypr/compose/STACK} (default {@code ~/.local/state/hypr/compose/STACK}). */
    public static Path directory(Map<String, String> env, String stack) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("hypr").resolve("compose").resolve(stack);
    }

    /** Rewrites every {@code environment}-sourced secret and config of {@code stack} to a file in {@code dir}. */
    public static void materialise(ObjectNode stack, Map<String, String> env, Path dir) {
        for (JsonNode service : stack.path("spec").path("services")) {
            for (String section : new String[] {"secrets", "configs"}) {
                for (JsonNode item : service.path(section)) {
                    if (item.hasNonNull("environment") && item instanceof ObjectNode entry) {
                        String variable = entry.path("environment").asText();
                        String value = env.get(variable);
                        if (value == null) {
                            throw new CliException("service " + service.path("name").asText() + ": " + section + " "
                                    + entry.path("name").asText() + " comes from the environment variable " + variable
                                    + ", which is not set; nothing was created");
                        }
                        Path file = write(dir.resolve(section), entry.path("name").asText(), value);
                        entry.remove("environment");
                        entry.put("hostPath", file.toString());
                    }
                }
            }
        }
    }

    private static Path write(Path dir, String name, String value) {
        try {
            privateDirectories(dir);
            Path file = dir.resolve(name);
            Path temp = Files.createTempFile(dir, "." + name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, value, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new CliException("cannot write the secret file for " + name + " in " + dir + ": " + e.getMessage());
        }
    }

    /** Creates each missing directory 0700 (mode set at creation, so no moment is it readable by others). */
    static void privateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        if (absolute.getParent() != null) {
            privateDirectories(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // another hyprctl made it meanwhile
        }
    }

    /** Removes the stack's secret files ({@code down}). */
    public static void remove(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new CliException("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
