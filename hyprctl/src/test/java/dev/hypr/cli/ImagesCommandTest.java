package dev.hypr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.PruneImagesReply;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ImagesCommandTest {
    private static final String NAME = "127-0-0-1-5000-test-app-v1";
    private static final String REF = "127.0.0.1:5000/test/app:v1";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static String image(String name, String ref, String status) {
        return "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Image\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"ref\":\"" + ref + "\"},\"status\":" + status + "}";
    }

    private static String pulled() {
        return "{\"digest\":\"" + DIGEST + "\",\"sizeBytes\":3145728,\"conditions\":[{\"type\":\"Pulled\",\"status\":\"True\","
                + "\"reason\":\"Pulled\"}]}";
    }

    /** Plays the Image controller: once the CLI has applied the object, publish progress, then the outcome. */
    private static CompletableFuture<Void> controller(FakeHypr hypr, String finalStatus) {
        return CompletableFuture.runAsync(() -> {
            try {
                while (!hypr.objects.containsKey("Image/" + NAME) || hypr.watchers.isEmpty()) {
                    Thread.sleep(10);
                }
                hypr.put(image(NAME, REF, "{\"progress\":{\"phase\":\"downloading\",\"bytesDone\":1048576,\"bytesTotal\":3145728}}"));
                hypr.put(image(NAME, REF, finalStatus));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void pullAppliesAnImageNamedAfterTheRefAndFollowsProgressToPulled() throws Exception {
        try (CliHarness h = new CliHarness()) {
            CompletableFuture<Void> ctl = controller(h.hypr, pulled());
            CliHarness.Result r = h.run("images", "pull", REF, "--platform", "linux/arm64");
            ctl.join();
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("downloading: 1.0 MiB / 3.0 MiB (33%)"), r.out());
            assertTrue(r.out().contains("image/" + NAME + " pulled " + DIGEST), r.out());
            ObjectNode applied = Json.parseObject(h.hypr.requestsOf(ApplyRequest.class).get(0).getObjects(0).getJson());
            assertEquals(REF, applied.path("spec").path("ref").asText());
            assertEquals("linux/arm64", applied.path("spec").path("platform").asText());
        }
    }

    @Test
    void pullExitsOneWithTheReasonWhenTheControllerReportsAFailure() throws Exception {
        try (CliHarness h = new CliHarness()) {
            CompletableFuture<Void> ctl = controller(h.hypr, "{\"conditions\":[{\"type\":\"Pulled\",\"status\":\"False\","
                    + "\"reason\":\"ManifestUnknown\",\"message\":\"manifest unknown: test/app:v1\"}]}");
            CliHarness.Result r = h.run("images", "pull", REF);
            ctl.join();
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("ManifestUnknown: manifest unknown: test/app:v1"), r.err());
        }
    }

    @Test
    void lsShowsRefShortDigestSizeAndAge() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.put(image(NAME, REF, pulled()));
            CliHarness.Result r = h.run("images", "ls");
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().split("\n");
            assertTrue(lines[0].matches("NAME\\s+REF\\s+DIGEST\\s+SIZE\\s+AGE\\s*"), lines[0]);
            assertTrue(lines[1].matches(NAME + "\\s+" + REF.replace(".", "\\.") + "\\s+abababababab\\s+3\\.0 MiB\\s+5m\\s*"), lines[1]);
        }
    }

    @Test
    void inspectFindsTheImageByItsRefAndPrintsStatusAsYaml() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.put(image(NAME, REF, pulled()));
            CliHarness.Result r = h.run("images", "inspect", REF);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("digest: \"" + DIGEST + "\"") || r.out().contains("digest: " + DIGEST), r.out());
            assertEquals(1, h.run("images", "inspect", "nope").code());
        }
    }

    @Test
    void rmRefusesWhileAVmUsesTheImageAndDeletesOtherwise() throws Exception {
        try (CliHarness h = new CliHarness()) {
            h.hypr.put(image(NAME, REF, pulled()));
            h.hypr.put("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"VM\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"image\":\"" + REF + "\"}}");
            CliHarness.Result refused = h.run("images", "rm", NAME);
            assertEquals(1, refused.code());
            assertTrue(refused.err().contains("in use by vm web"), refused.err());
            assertTrue(h.hypr.requestsOf(DeleteRequest.class).isEmpty());

            h.hypr.remove("VM", "web");
            CliHarness.Result ok = h.run("images", "rm", REF);
            assertEquals(0, ok.code(), ok.err());
            assertFalse(h.hypr.objects.containsKey("Image/" + NAME));
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
        }
    }

    @Test
    void imageNamesAreDns1123AndStableForLongRefs() {
        assertEquals(NAME, ImageNames.forRef(REF));
        assertEquals("nginx", ImageNames.forRef("nginx"));
        String digestRef = "registry.example:5000/team/app@sha256:" + "0123456789abcdef".repeat(4);
        String name = ImageNames.forRef(digestRef);
        assertTrue(name.length() <= 63 && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), name);
        assertEquals(name, ImageNames.forRef(digestRef));
        assertFalse(name.equals(ImageNames.forRef(digestRef.replace("0123", "3210"))));
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
