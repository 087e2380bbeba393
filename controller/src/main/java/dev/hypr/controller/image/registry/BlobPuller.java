package dev.hypr.controller.image.registry;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.store.BlobStore;
import dev.hypr.controller.image.store.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The blobs endpoint: streams one blob into the {@link BlobStore}, which verifies its sha256.
 * A transfer cut off midway is restarted from scratch (the partial temp file is discarded).
 */
final class BlobPuller {
    private final RegistryTransport transport;
    private final RegistryOptions options;

    BlobPuller(RegistryTransport transport, RegistryOptions options) {
        this.transport = transport;
        this.options = options;
    }

    Path pull(ImageReference ref, Digest digest, BlobStore store, LongConsumer progress)
            throws RegistryException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            HttpResponse<InputStream> resp = transport.get(ref, "blobs/" + digest, null);
            try (InputStream body = resp.body()) {
                if (resp.statusCode() == 404) {
                    throw new RegistryException(RegistryException.Failure.BlobUnknown,
                            "blob unknown: " + ref.registry() + "/" + ref.repository() + " has no " + digest);
                }
                if (resp.statusCode() != 200) {
                    throw new RegistryException(RegistryException.Failure.RegistryError,
                            "GET blob " + digest + " answered HTTP " + resp.statusCode());
                }
                return store.put(digest, body, progress);
            } catch (DigestMismatchException e) {
                throw new RegistryException(RegistryException.Failure.DigestMismatch,
                        "blob from " + ref.registry() + "/" + ref.repository() + ": " + e.getMessage(), e);
            } catch (RegistryException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                progress.accept(0);
                Thread.sleep(options.initialBackoff().toMillis() << (attempt - 1));
            }
        }
        throw new RegistryException(RegistryException.Failure.RegistryUnreachable, "download of " + digest + " from "
                + ref.apiHost() + " failed " + options.maxAttempts() + " times: " + last.getMessage(), last);
    }
}
