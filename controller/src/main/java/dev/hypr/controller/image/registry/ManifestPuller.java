package dev.hypr.controller.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests endpoint: fetches a manifest by tag or digest, verifies a pinned digest, and
 * when it gets an index (OCI index / Docker manifest list) picks the requested platform and
 * fetches that manifest by digest.
 */
final class ManifestPuller {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    private final RegistryTransport transport;

    ManifestPuller(RegistryTransport transport) {
        this.transport = transport;
    }

    ImageManifest pull(ImageReference ref, Platform platform) throws RegistryException, InterruptedException {
        Fetched top = fetch(ref, ref.manifestReference());
        if (ref.digest() != null && !top.digest.equals(ref.digest())) {
            throw new RegistryException(RegistryException.Failure.DigestMismatch,
                    "manifest for " + ref + " hashed to " + top.digest);
        }
        if (!MediaTypes.isIndex(top.mediaType)) {
            return ImageManifest.parse(top.digest, top.mediaType, top.json, top.raw);
        }
        Descriptor chosen = select(ref, top.json, platform);
        Fetched child = fetch(ref, chosen.digest().toString());
        if (!child.digest.equals(chosen.digest())) {
            throw new RegistryException(RegistryException.Failure.DigestMismatch,
                    "platform manifest " + chosen.digest() + " hashed to " + child.digest);
        }
        return ImageManifest.parse(child.digest, child.mediaType, child.json, child.raw);
    }

    private static Descriptor select(ImageReference ref, JsonNode index, Platform platform) throws RegistryException {
        List<String> offered = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            String os = p.path("os").asText(""), arch = p.path("architecture").asText(""), variant = p.path("variant").asText(null);
            offered.add(os + "/" + arch + (variant != null ? "/" + variant : ""));
            if (platform.matches(os, arch, variant)) {
                return Descriptor.of(m);
            }
        }
        throw new RegistryException(RegistryException.Failure.PlatformNotFound,
                ref + " has no image for platform " + platform + "; it offers " + offered);
    }

    private record Fetched(Digest digest, String mediaType, JsonNode json, byte[] raw) {
    }

    private Fetched fetch(ImageReference ref, String reference) throws RegistryException, InterruptedException {
        HttpResponse<InputStream> resp = transport.get(ref, "manifests/" + reference, MediaTypes.ACCEPT_ALL);
        try (InputStream body = resp.body()) {
            if (resp.statusCode() == 404) {
                throw new RegistryException(RegistryException.Failure.ManifestUnknown,
                        "manifest unknown: " + ref.registry() + "/" + ref.repository() + " has no " + reference);
            }
            if (resp.statusCode() != 200) {
                throw new RegistryException(RegistryException.Failure.RegistryError,
                        "GET manifest " + reference + " of " + ref.repository() + " answered HTTP " + resp.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new RegistryException(RegistryException.Failure.UnsupportedManifest, "manifest larger than 4 MiB");
            }
            JsonNode json = JSON.readTree(bytes);
            String mediaType = json.hasNonNull("mediaType") ? json.get("mediaType").asText()
                    : resp.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
            if (mediaType.isEmpty() && json.has("manifests")) {
                mediaType = MediaTypes.OCI_INDEX;
            } else if (mediaType.isEmpty() && json.has("layers")) {
                mediaType = MediaTypes.OCI_MANIFEST;
            }
            if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
                throw new RegistryException(RegistryException.Failure.UnsupportedManifest,
                        "unsupported manifest media type '" + mediaType + "' for " + ref
                                + " (Docker schema1 is not supported; re-push with a current client)");
            }
            return new Fetched(Digest.of(bytes), mediaType, json, bytes);
        } catch (RegistryException e) {
            throw e;
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Failure.RegistryUnreachable,
                    "reading manifest " + reference + " failed: " + e.getMessage(), e);
        }
    }
}
