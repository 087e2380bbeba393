package dev.hypr.controller.image.registry;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.store.BlobStore;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** The OCI distribution API as hypr uses it: resolve a manifest, fetch blobs into the store. */
public final class RegistryClient {
    private final ManifestPuller manifests;
    private final BlobPuller blobs;
    private final BlobPusher pusher;

    public RegistryClient(CredentialStore credentials, RegistryOptions options) {
        // Built on first use: making an HttpClient (SSL context, selector thread) costs ~70 ms of
        // hyprd's start-up, and most starts never pull.
        Supplier<HttpClient> http = new Supplier<>() {
            private HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = HttpClient.newBuilder()
                            .connectTimeout(options.connectTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER) // RegistryTransport follows them itself
                            .version(HttpClient.Version.HTTP_1_1)
                            .build();
                }
                return client;
            }
        };
        RegistryTransport transport = new RegistryTransport(http, credentials, options);
        this.manifests = new ManifestPuller(transport);
        this.blobs = new BlobPuller(transport, options);
        this.pusher = new BlobPusher(transport);
    }

    /** Pushes one blob (HEAD, then mount from one of {@code mountFrom}, else a chunked upload). */
    public void pushBlob(ImageReference ref, Digest digest, Path blob, java.util.List<String> mountFrom, PushListener listener)
            throws RegistryException, InterruptedException, java.io.IOException {
        long size = java.nio.file.Files.size(blob);
        listener.blob(digest, size, "Waiting", 0);
        BlobPusher.Outcome outcome = pusher.push(ref, digest, blob, mountFrom, done -> listener.blob(digest, size, "Uploading", done));
        listener.blob(digest, size, switch (outcome) {
            case EXISTS -> "Layer already exists";
            case MOUNTED -> "Mounted from " + mountFrom.get(0);
            case UPLOADED -> "Pushed";
        }, size);
    }

    /** PUTs a manifest under a tag or its digest; returns its digest. */
    public Digest pushManifest(ImageReference ref, String reference, String mediaType, byte[] manifest)
            throws RegistryException, InterruptedException {
        return pusher.putManifest(ref, reference, mediaType, manifest);
    }

    /** The single-platform manifest {@code ref} names for {@code platform} (an index is resolved). */
    public ImageManifest manifest(ImageReference ref, Platform platform) throws RegistryException, InterruptedException {
        return manifests.pull(ref, platform);
    }

    /** Downloads a blob into {@code store} unless it is already there. */
    public Path blob(ImageReference ref, Digest digest, BlobStore store, LongConsumer progress)
            throws RegistryException, InterruptedException {
        var existing = store.find(digest);
        if (existing.isPresent()) {
            return existing.get();
        }
        return blobs.pull(ref, digest, store, progress);
    }
}
