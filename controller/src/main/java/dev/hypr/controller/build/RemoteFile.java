package dev.hypr.controller.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code ADD https://...}: downloaded by hyprd on the host (never inside the build VM) with an
 * HttpClient made as the registry client's is (same connect timeout, the JVM's default proxy
 * selector, so {@code -Dhttps.proxyHost} and friends apply to both), following redirects. The
 * file is checked against {@code --checksum} when given; its sha256 is part of the step's cache
 * key, and its mtime is the response's Last-Modified, as BuildKit sets them.
 */
final class RemoteFile {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofMinutes(30);
    private static volatile HttpClient client;

    /** A finished download: the file, its sha256 (hex), and its Last-Modified time if the server sent one. */
    record Downloaded(Path file, String sha256, Optional<Instant> lastModified) {
    }

    private RemoteFile() {
    }

    private static HttpClient client() {
        if (client == null) {
            synchronized (RemoteFile.class) {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
                }
            }
        }
        return client;
    }

    /** Downloads {@code url} into {@code out}; {@code checksum} is "sha256:HEX" (or sha384/sha512), checked when present. */
    static Downloaded fetch(String url, Optional<String> checksum, Path out, String step)
            throws IOException, InterruptedException, BuildFailedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(READ_TIMEOUT).GET().build();
        HttpResponse<InputStream> resp = client().send(req, HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha256 = dev.hypr.controller.image.ref.Digest.sha256();
        MessageDigest wanted = null;
        if (checksum.isPresent() && !checksum.get().startsWith("sha256:")) {
            try {
                wanted = MessageDigest.getInstance("SHA-" + checksum.get().substring(3, checksum.get().indexOf(':')));
            } catch (NoSuchAlgorithmException e) {
                throw new BuildFailedException(step + ": unsupported checksum " + checksum.get());
            }
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new BuildFailedException(step + ": downloading " + url + " failed: HTTP " + resp.statusCode());
            }
            try (OutputStream o = Files.newOutputStream(out)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    o.write(buf, 0, n);
                    sha256.update(buf, 0, n);
                    if (wanted != null) wanted.update(buf, 0, n);
                }
            }
        }
        String hex = HexFormat.of().formatHex(sha256.digest());
        if (checksum.isPresent()) {
            String got = checksum.get().substring(0, checksum.get().indexOf(':') + 1)
                    + (wanted == null ? hex : HexFormat.of().formatHex(wanted.digest()));
            if (!got.equals(checksum.get())) {
                throw new BuildFailedException(step + ": checksum mismatch for " + url + ": expected " + checksum.get() + ", got " + got);
            }
        }
        Optional<Instant> modified = resp.headers().firstValue("Last-Modified").flatMap(RemoteFile::httpDate);
        if (modified.isPresent()) Files.setLastModifiedTime(out, FileTime.from(modified.get()));
        return new Downloaded(out, hex, modified);
    }

    /** The file name ADD gives a URL's download when the destination is a directory: the path's last segment. */
    static String fileName(String url) {
        String path = URI.create(url).getPath();
        if (path == null) return "";
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
