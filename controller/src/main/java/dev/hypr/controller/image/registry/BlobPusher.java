package dev.hypr.controller.image.registry;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The push half of the distribution API: a blob is checked with HEAD, mounted from another
 * repository of the same registry when hypr knows it is there, else uploaded in chunks (POST
 * opens a session, PATCH sends each chunk to the Location the last answer named, PUT
 * {@code ?digest=} closes it); the manifest goes last, by PUT.
 */
final class BlobPusher {
    /** 8 MiB: few round trips, bounded memory (the chunk is held to be re-sent after a 401). */
    static final int CHUNK = 8 << 20;
    private final RegistryTransport transport;

    BlobPusher(RegistryTransport transport) {
        this.transport = transport;
    }

    /** How a blob got there. */
    enum Outcome { EXISTS, MOUNTED, UPLOADED }

    boolean exists(ImageReference ref, Digest digest) throws RegistryException, InterruptedException {
        HttpResponse<InputStream> r = transport.send(ref, "HEAD", transport.uri(ref, "blobs/" + digest), Map.of(), null);
        RegistryTransport.closeQuietly(r);
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw unexpected("HEAD blob " + digest.shortHex(), r);
    }

    /**
     * @param mountFrom repositories of the same registry that hold the blob (tried in order)
     */
    Outcome push(ImageReference ref, Digest digest, Path blob, List<String> mountFrom, PushListener.Progress progress)
            throws RegistryException, InterruptedException, IOException {
        if (exists(ref, digest)) {
            return Outcome.EXISTS;
        }
        URI location = null;
        for (String from : mountFrom) {
            HttpResponse<InputStream> r = transport.send(ref, "POST", transport.uri(ref, "blobs/uploads/?mount="
                    + digest + "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8)), Map.of(), null);
            RegistryTransport.closeQuietly(r);
            if (r.statusCode() == 201) {
                return Outcome.MOUNTED;
            }
            if (r.statusCode() == 202) { // not mountable (no access to `from`): an upload session instead
                location = location(ref, r);
                break;
            }
        }
        if (location == null) {
            HttpResponse<InputStream> r = transport.send(ref, "POST", transport.uri(ref, "blobs/uploads/"),
                    Map.of(), null);
            RegistryTransport.closeQuietly(r);
            if (r.statusCode() != 202) {
                throw unexpected("POST upload of " + digest.shortHex(), r);
            }
            location = location(ref, r);
        }
        long size = Files.size(blob);
        long offset = 0;
        try (InputStream in = Files.newInputStream(blob)) {
            while (offset < size) {
                byte[] chunk = in.readNBytes((int) Math.min(CHUNK, size - offset));
                HttpResponse<InputStream> r = transport.send(ref, "PATCH", location, Map.of(
                        "Content-Type", "application/octet-stream",
                        "Content-Range", offset + "-" + (offset + chunk.length - 1)), chunk);
                RegistryTransport.closeQuietly(r);
                if (r.statusCode() != 202) {
                    throw unexpected("PATCH " + digest.shortHex() + " at byte " + offset, r);
                }
                location = location(ref, r);
                offset += chunk.length;
                progress.bytes(offset);
            }
        }
        String sep = location.getRawQuery() == null ? "?" : "&";
        URI close = URI.create(location + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        HttpResponse<InputStream> r = transport.send(ref, "PUT", close, Map.of("Content-Type", "application/octet-stream"), new byte[0]);
        RegistryTransport.closeQuietly(r);
        if (r.statusCode() != 201 && r.statusCode() != 204) {
            throw unexpected("PUT (closing the upload of) " + digest.shortHex(), r);
        }
        return Outcome.UPLOADED;
    }

    /** PUTs the manifest under {@code reference} (a tag, or its digest); returns the registry's digest. */
    Digest putManifest(ImageReference ref, String reference, String mediaType, byte[] manifest)
            throws RegistryException, InterruptedException {
        HttpResponse<InputStream> r = transport.send(ref, "PUT", transport.uri(ref, "manifests/" + reference),
                Map.of("Content-Type", mediaType), manifest);
        String body = readQuietly(r);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new RegistryException(RegistryException.Failure.RegistryError, "PUT manifest " + ref.repository() + ":" + reference
                    + " answered HTTP " + r.statusCode() + (body.isEmpty() ? "" : ": " + body));
        }
        Digest sent = Digest.of(manifest);
        String answered = r.headers().firstValue("Docker-Content-Digest").orElse(sent.toString());
        if (!answered.equals(sent.toString())) {
            throw new RegistryException(RegistryException.Failure.DigestMismatch, "the registry stored the manifest as "
                    + answered + ", not " + sent);
        }
        return sent;
    }

    private static URI location(ImageReference ref, HttpResponse<?> r) throws RegistryException {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                RegistryException.Failure.RegistryError, "upload answer from " + ref.apiHost() + " has no Location"));
        return r.uri().resolve(loc);
    }

    private static RegistryException unexpected(String what, HttpResponse<InputStream> r) {
        String body = readQuietly(r);
        return new RegistryException(RegistryException.Failure.RegistryError, what + " answered HTTP " + r.statusCode()
                + (body.isEmpty() ? "" : ": " + body));
    }

    private static String readQuietly(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            String s = new String(in.readNBytes(2000), StandardCharsets.UTF_8).strip();
            return s;
        } catch (IOException e) {
            return "";
        }
    }
}
