package dev.hypr.controller.api;

import dev.hypr.controller.config.HyprPaths;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bearer token REST callers must present: 256 random bits, new at every start, written
 * 0600 to {@code $HYPR_HOME/rest-token} so only who may read hyprd's home (root) can use REST.
 */
@Singleton
@Startup
public class RestToken {
    private final byte[] token;
    private final Path file;

    RestToken(@ConfigProperty(name = "hypr.home") String home, @ConfigProperty(name = "hypr.socket") String socket) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        this.file = new HyprPaths(Path.of(home).toAbsolutePath(), Path.of(socket).toAbsolutePath()).restToken();
        write(file, token);
    }

    /** Whether an Authorization header value carries this token ("Bearer TOKEN"). */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }

    Path file() {
        return file;
    }

    /** Created 0600 before the first byte is written, then moved into place: never readable by others. */
    private static void write(Path file, byte[] token) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".rest-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, token);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the REST token " + file, e);
        }
    }
}
