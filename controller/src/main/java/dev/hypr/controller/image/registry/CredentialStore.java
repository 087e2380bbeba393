package dev.hypr.controller.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Registry credentials, looked up in order: hypr's own file ({@code $HYPR_HOME/auth.json},
 * written by {@code hyprctl login}, mode 0600) then Docker's {@code ~/.docker/config.json}.
 * Both use Docker's format, {@code {"auths": {"host": {"auth": base64(user:pass)}}}}, so
 * a file can be copied between them. Credential helpers ({@code credsStore}) are not run.
 */
public final class CredentialStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Path> files;

    public CredentialStore(List<Path> files) {
        this.files = List.copyOf(files);
    }

    public static CredentialStore standard(Path hyprHome) {
        return standard(hyprHome, Path.of(System.getProperty("user.home")));
    }

    /** The daemon's lookup order with an explicit home directory for Docker's file (tests use a temp one). */
    public static CredentialStore standard(Path hyprHome, Path userHome) {
        return new CredentialStore(List.of(hyprHome.resolve("auth.json"), userHome.resolve(".docker").resolve("config.json")));
    }

    public static CredentialStore none() {
        return new CredentialStore(List.of());
    }

    public Optional<Credentials> lookup(String registry) {
        for (Path file : files) {
            Optional<Credentials> found = read(file, registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Credentials> read(Path file, String registry) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode auths = JSON.readTree(file.toFile()).path("auths");
            for (String key : keysFor(registry)) {
                JsonNode entry = auths.path(key);
                if (entry.hasNonNull("auth")) {
                    return Optional.of(Credentials.fromAuthField(entry.get("auth").asText()));
                }
                if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
                    return Optional.of(new Credentials(entry.get("username").asText(), entry.get("password").asText()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable credential file means anonymous access, not a failed pull; say so in the log.
            org.jboss.logging.Logger.getLogger(CredentialStore.class).warnf("ignoring %s: %s", file, e.getMessage());
        }
        return Optional.empty();
    }

    /** Docker writes Hub credentials under its v1 URL; accept the forms found in the wild. */
    private static List<String> keysFor(String registry) {
        if (registry.equals("docker.io") || registry.equals("registry-1.docker.io")) {
            return List.of("https://index.docker.io/v1/", "docker.io", "index.docker.io", "registry-1.docker.io");
        }
        return List.of(registry, "https://" + registry, "http://" + registry);
    }

    /** Adds or replaces credentials in {@code file} (created 0600, replaced atomically). */
    public static void save(Path file, String registry, Credentials credentials) throws IOException {
        ObjectNode root = load(file);
        root.with("auths").putObject(registry).put("auth", credentials.authField());
        write(file, root);
    }

    /** Removes a registry's entry; returns whether there was one. */
    public static boolean remove(Path file, String registry) throws IOException {
        ObjectNode root = load(file);
        boolean had = root.path("auths").has(registry);
        if (had) {
            ((ObjectNode) root.get("auths")).remove(registry);
            write(file, root);
        }
        return had;
    }

    private static ObjectNode load(Path file) throws IOException {
        return Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    private static void write(Path file, ObjectNode root) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // Created 0600 from the start: the password must never be world-readable, even briefly.
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
