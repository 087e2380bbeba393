package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ImageLayer;
import dev.hypr.api.grpc.ImageRef;
import dev.hypr.api.grpc.LayerProgress;
import dev.hypr.api.grpc.LayerState;
import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.api.grpc.PruneImagesRequest;
import dev.hypr.api.grpc.PullError;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullImageRequest;
import dev.hypr.api.grpc.PullPhase;
import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagesCommandTest {
    private static final String REF = "127.0.0.1:5000/test/app:v1";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String LOWER = "sha256:" + "11".repeat(32);
    private static final String UPPER = "sha256:" + "22".repeat(32);

    private static LayerProgress layer(String digest, long size, long done, LayerState state) {
        return LayerProgress.newBuilder().setDigest(digest).setSizeBytes(size).setBytesDone(done).setState(state).build();
    }

    private static PullImageProgress.Builder msg(PullPhase phase, long at, LayerProgress... layers) {
        PullImageProgress.Builder b = PullImageProgress.newBuilder().setPhase(phase).setRef(REF).setPlatform("linux/amd64")
                .setTimestampMillis(at);
        long done = 0;
        long total = 0;
        for (LayerProgress l : layers) {
            b.addLayers(l);
            done += l.getBytesDone();
            total += l.getSizeBytes();
        }
        return b.setBytesDone(done).setBytesTotal(total);
    }

    /** A two-layer pull as hyprd streams it: resolving, downloading, extracting, squashing, done. */
    private static List<PullImageProgress> twoLayerPull() {
        long mib = 1 << 20;
        return List.of(
                msg(PullPhase.PULL_RESOLVING, 0).build(),
                msg(PullPhase.PULL_DOWNLOADING, 200, layer(LOWER, 3 * mib, 0, LayerState.LAYER_WAITING),
                        layer(UPPER, mib, 0, LayerState.LAYER_WAITING)).setDigest(DIGEST).build(),
                msg(PullPhase.PULL_DOWNLOADING, 400, layer(LOWER, 3 * mib, mib, LayerState.LAYER_DOWNLOADING),
                        layer(UPPER, mib, mib, LayerState.LAYER_DOWNLOADED)).setDigest(DIGEST).build(),
                msg(PullPhase.PULL_EXTRACTING, 600, layer(LOWER, 3 * mib, 3 * mib, LayerState.LAYER_EXTRACTING),
                        layer(UPPER, mib, mib, LayerState.LAYER_DOWNLOADED)).setDigest(DIGEST).build(),
                msg(PullPhase.PULL_SQUASHING, 800, layer(LOWER, 3 * mib, 3 * mib, LayerState.LAYER_DONE),
                        layer(UPPER, mib, mib, LayerState.LAYER_DONE)).setDigest(DIGEST).build(),
                msg(PullPhase.PULL_DONE, 900, layer(LOWER, 3 * mib, 3 * mib, LayerState.LAYER_DONE),
                        layer(UPPER, mib, mib, LayerState.LAYER_DONE)).setDigest(DIGEST)
                        .setImage(ImageInfo.newBuilder().setDigest(DIGEST)).build());
    }

    private static ImageInfo stored() {
        return ImageInfo.newBuilder().setDigest(DIGEST).setPlatform("linux/amd64").setSizeBytes(3 << 20)
                .addRefs(ImageRef.newBuilder().setRef(REF).setPlatform("linux/amd64"))
                .addRefs(ImageRef.newBuilder().setRef("127.0.0.1:5000/test/app:latest").setPlatform("linux/amd64"))
                .addLayers(ImageLayer.newBuilder().setDigest(LOWER).setSizeBytes(2 << 20))
                .setConfigJson("{\"entrypoint\":[\"/bin/sh\"],\"env\":[\"FOO=bar\"]}")
                .setRootfs("/var/lib/hypr/images/abab/rootfs.squashfs")
                .setPulledAtMillis(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli())
                .addUsedBy("vm/web").build();
    }

    @Test
    void pullPrintsPlainPerLayerLinesAndEndsWithTheDigest() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pullMessages = twoLayerPull();
            CliHarness.Result r = h.run("images", "pull", REF, "--platform", "linux/arm64", "--progress", "plain");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of(
                    "Pulling " + REF + " (linux/amd64)",
                    "111111111111: Waiting",
                    "222222222222: Waiting",
                    "111111111111: Downloading 1.0 MiB / 3.0 MiB",
                    "222222222222: Download complete",
                    "111111111111: Extracting",
                    "111111111111: Pull complete",
                    "222222222222: Pull complete",
                    "Building root filesystem (squashfs)",
                    "Status: Downloaded newer image for " + REF,
                    "Digest: " + DIGEST), r.out().lines().toList());
            PullImageRequest sent = h.hypr.requestsOf(PullImageRequest.class).get(0);
            assertEquals(REF, sent.getRef());
            assertEquals("linux/arm64", sent.getPlatform());
        }
    }

    @Test
    void pullOfAStoredImageSaysUpToDateWithoutLayerLines() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pullMessages = List.of(msg(PullPhase.PULL_DONE, 5, layer(LOWER, 9, 9, LayerState.LAYER_EXISTS))
                    .setDigest(DIGEST).setUpToDate(true).build());
            CliHarness.Result r = h.run("images", "pull", REF, "--progress", "plain");
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("Pulling " + REF + " (linux/amd64)", "Status: Image is up to date for " + REF, "Digest: " + DIGEST),
                    r.out().lines().toList());
            assertEquals(DIGEST + "\n", h.run("images", "pull", REF, "-q").out());
        }
    }

    @Test
    void pullExitsOneWithTheReasonHyprdReports() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pullMessages = List.of(msg(PullPhase.PULL_RESOLVING, 0).build(), msg(PullPhase.PULL_FAILED, 10)
                    .setError(PullError.newBuilder().setReason("ManifestUnknown").setMessage("manifest unknown: test/app has no v1")).build());
            CliHarness.Result r = h.run("images", "pull", REF, "--progress", "plain");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("pulling " + REF + " failed: ManifestUnknown: manifest unknown: test/app has no v1"), r.err());

            h.hypr.failWith = Status.INVALID_ARGUMENT.withDescription("invalid image reference 'Bad': repository component");
            CliHarness.Result bad = h.run("images", "pull", "Bad");
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("invalid image reference"), bad.err());
        }
    }

    private static dev.hypr.api.grpc.PushImageProgress push(String blob, String state, long done, long size) {
        return dev.hypr.api.grpc.PushImageProgress.newBuilder().setBlobDigest(blob).setState(state)
                .setBytesDone(done).setSizeBytes(size).build();
    }

    @Test
    void pushPrintsALinePerBlobStateAndTheDigest() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pushMessages = List.of(push(LOWER, "Waiting", 0, 9), push(LOWER, "Layer already exists", 9, 9),
                    push(UPPER, "Waiting", 0, 20), push(UPPER, "Uploading", 8, 20), push(UPPER, "Uploading", 8, 20),
                    push(UPPER, "Pushed", 20, 20),
                    dev.hypr.api.grpc.PushImageProgress.newBuilder().setDone(true).setDigest(DIGEST).build());
            CliHarness.Result r = h.run("images", "push", "busybox:1", REF);
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("111111111111: Waiting", "111111111111: Layer already exists", "222222222222: Waiting",
                    "222222222222: Uploading 8/20", "222222222222: Pushed", REF + ": digest: " + DIGEST), r.out().lines().toList());
            dev.hypr.api.grpc.PushImageRequest sent = h.hypr.requestsOf(dev.hypr.api.grpc.PushImageRequest.class).get(0);
            assertEquals(REF, sent.getRef());
            assertEquals("busybox:1", sent.getSource());
            assertEquals(DIGEST + "\n", h.run("images", "push", REF, "-q").out());
            assertEquals("", h.hypr.requestsOf(dev.hypr.api.grpc.PushImageRequest.class).get(1).getSource());
        }
    }

    @Test
    void pushExitsOneWithTheReason() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pushMessages = List.of(dev.hypr.api.grpc.PushImageProgress.newBuilder().setDone(true)
                    .setError(PullError.newBuilder().setReason("Unauthorized").setMessage("127.0.0.1:5000 refused access")).build());
            CliHarness.Result r = h.run("images", "push", REF);
            assertEquals(1, r.code());
            assertTrue(r.err().contains("pushing " + REF + " failed: Unauthorized: 127.0.0.1:5000 refused access"), r.err());
        }
    }

    @Test
    void lsShowsARowPerReferenceWithShortDigestSizeAgeAndUsers() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.storedImages.add(stored());
            h.hypr.storedImages.add(ImageInfo.newBuilder().setDigest("sha256:" + "cd".repeat(32)).setPlatform("linux/amd64")
                    .setSizeBytes(1024).setPulledAtMillis(Instant.parse("2026-01-01T00:04:00Z").toEpochMilli()).build());
            CliHarness.Result r = h.run("images", "ls");
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().split("\n");
            assertTrue(lines[0].matches("REF\\s+DIGEST\\s+PLATFORM\\s+SIZE\\s+AGE\\s+USED BY\\s*"), lines[0]);
            assertTrue(lines[1].matches(REF.replace(".", "\\.") + "\\s+abababababab\\s+linux/amd64\\s+3\\.0 MiB\\s+5m\\s+vm/web\\s*"), lines[1]);
            assertTrue(lines[2].startsWith("127.0.0.1:5000/test/app:latest "), lines[2]);
            assertTrue(lines[3].matches("<none>\\s+cdcdcdcdcdcd\\s+linux/amd64\\s+1\\.0 KiB\\s+1m\\s*"), lines[3]);

            JsonNode json = Json.MAPPER.readTree(h.run("images", "ls", "-o", "json").out());
            assertEquals(2, json.path("items").size());
            assertEquals(REF, json.path("items").get(0).path("refs").get(0).path("ref").asText());
            assertEquals("vm/web", json.path("items").get(0).path("usedBy").get(0).asText());
            assertEquals(2, h.run("images", "ls", "-o", "xml").code());
        }
    }

    @Test
    void inspectPrintsTheStoredImageAsYamlOrJson() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.storedImages.add(stored());
            CliHarness.Result r = h.run("images", "inspect", REF);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("digest: \"" + DIGEST + "\"") || r.out().contains("digest: " + DIGEST), r.out());
            assertTrue(r.out().contains("/bin/sh"), r.out());
            JsonNode json = Json.MAPPER.readTree(h.run("images", "inspect", DIGEST, "-o", "json").out());
            assertEquals("FOO=bar", json.path("config").path("env").get(0).asText());
            assertEquals("2026-01-01T00:00:00Z", json.path("pulledAt").asText());
            CliHarness.Result missing = h.run("images", "inspect", "nope");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("no image nope in the store"), missing.err());
        }
    }

    @Test
    void rmPrintsWhatWentAndExitsOneWithHyprdsRefusal() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.storedImages.add(stored());
            h.hypr.deleteImageFailure = Status.FAILED_PRECONDITION.withDescription(REF + " is in use by vm/web; delete it first");
            CliHarness.Result refused = h.run("images", "rm", REF);
            assertEquals(1, refused.code());
            assertEquals("error: " + REF + " is in use by vm/web; delete it first\n", refused.err());

            h.hypr.deleteImageFailure = null;
            CliHarness.Result ok = h.run("images", "rm", REF);
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("Untagged: " + REF + " (linux/amd64)"), ok.out());
            assertTrue(ok.out().contains("Deleted: " + DIGEST), ok.out());
            assertFalse(h.run("images", "rm", REF).code() == 0, "gone now");
        }
    }

    @Test
    void prunePrintsWhatWasRemovedAndTheSpaceFreed() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.pruneReply = PruneImagesReply.newBuilder().addRemoved("sha256:" + "cd".repeat(32)).addRemoved("3 blobs")
                    .setFreedBytes(5L << 20).build();
            CliHarness.Result r = h.run("images", "prune");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().endsWith("freed 5.0 MiB\n"), r.out());
            assertTrue(r.out().contains("deleted 3 blobs"), r.out());
            assertFalse(h.hypr.requestsOf(PruneImagesRequest.class).get(0).getAll());
            assertEquals(0, h.run("images", "prune", "--all").code());
            assertTrue(h.hypr.requestsOf(PruneImagesRequest.class).get(1).getAll());
        }
    }

    @Test
    void loginSendsThePasswordFromStdinAndLogoutForgetsIt() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.stdin = "s3cret\n";
            CliHarness.Result in = h.run("login", "127.0.0.1:5000", "-u", "ci", "--password-stdin");
            assertEquals(0, in.code(), in.err());
            assertEquals("ci:s3cret", h.hypr.logins.get("127.0.0.1:5000"));
            assertFalse(in.out().contains("s3cret"));
            assertTrue(h.run("logout", "127.0.0.1:5000").out().contains("Removed login credentials"));
            assertTrue(h.run("logout", "127.0.0.1:5000").out().contains("Not logged in"));
            h.stdin = "";
            assertEquals(1, h.run("login", "r", "-u", "ci", "--password-stdin").code(), "no password");
        }
    }
}
