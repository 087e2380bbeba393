package dev.hypr.controller.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.grpc.ApplyRequest;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.HealthRequest;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.Manifest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import dev.hypr.controller.it.HyprdProcess;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sync against the real hyprd: directories and a local git repository, applied and kept applied. */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyncIT {
    @TempDir
    static Path tmp;

    static HyprdProcess hyprd;
    static HyprGrpc.HyprBlockingStub api;

    @BeforeAll
    static void start() throws Exception {
        hyprd = HyprdProcess.start(tmp.resolve("hypr"));
        api = hyprd.client();
    }

    @AfterAll
    static void stop() throws Exception {
        hyprd.close();
    }

    @Test
    void keepsTwentyObjectsAppliedFollowsEditsAndRepairsHandDeletes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("twenty"));
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("net-" + i + ".yaml"), network("tw-net-" + i, "10.60." + i + ".0/24"));
            Files.writeString(dir.resolve("vol-" + i + ".yml"), volume("tw-vol-" + i, 64));
        }
        applySync("twenty", dir, false);
        JsonNode status = await("20 objects applied", () -> status("twenty"),
                s -> s.path("counts").path("unchanged").asInt() + s.path("counts").path("applied").asInt() == 20
                        && ready(s));
        assertEquals(20, managed("twenty"));
        assertTrue(status.path("lastAppliedRevision").asText().startsWith("sha256:"), status.toString());

        Files.writeString(dir.resolve("vol-3.yml"), volume("tw-vol-3", 128));
        JsonNode edited = await("edit applied", () -> get("volume", "tw-vol-3"),
                o -> o.path("spec").path("sizeMiB").asInt() == 128);
        assertEquals(2, edited.path("metadata").path("generation").asInt());

        api.delete(DeleteRequest.newBuilder().setKind("volume").setName("tw-vol-5").build());
        long deletedAt = System.nanoTime();
        await("hand-deleted object back", () -> get("volume", "tw-vol-5"), o -> true);
        assertTrue(System.nanoTime() - deletedAt < Duration.ofSeconds(2).toNanos(), "repair within one interval");
        JsonNode repaired = await("drift repair recorded", () -> status("twenty"),
                s -> s.path("lastDriftRepair").path("objects").toString().contains("Volume/tw-vol-5"));
        assertTrue(repaired.path("lastDriftRepair").has("at"));
    }

    /**
     * 20 files rewritten one by one (a script, an editor's "save all"): exactly one pass applies
     * the new state, and no moment of the store mixes old and new objects — each object changes
     * once, all 20 in one store batch (consecutive revisions), and the Sync applies one new revision.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void twentyFilesRewrittenOneByOneApplyInOneConsistentPass() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("settle"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("vol-" + i + ".yaml"), revVolume("st-" + i, 1));
        }
        applySync("settle", dir, false);
        JsonNode first = await("first revision applied", () -> status("settle"),
                s -> ready(s) && s.path("counts").path("applied").asInt() + s.path("counts").path("unchanged").asInt() == 20);
        String firstRevision = first.path("lastAppliedRevision").asText();
        long from = api.health(HealthRequest.getDefaultInstance()).getResourceVersion();

        Map<String, String> lastSeen = new HashMap<>(); // name -> "generation/rev"
        for (int i = 0; i < 20; i++) {
            lastSeen.put("st-" + i, "1/1");
        }
        List<long[]> transitions = new CopyOnWriteArrayList<>(); // {revision, generation, rev}
        List<String> syncRevisions = new CopyOnWriteArrayList<>();
        Context.CancellableContext watching = Context.current().withCancellation();
        watching.run(() -> {
            hyprd.asyncClient().watch(WatchRequest.newBuilder().setLabelSelector("hypr.dev/sync=settle")
                    .setResourceVersion(from).build(), observer(e -> {
                        ObjectNode o = Json.parseObject(e.getJson());
                        String name = o.path("metadata").path("name").asText();
                        String state = o.path("metadata").path("generation").asText() + "/"
                                + o.path("metadata").path("labels").path("rev").asText();
                        synchronized (lastSeen) {
                            if (!state.equals(lastSeen.put(name, state))) { // status writes change neither
                                transitions.add(new long[] {e.getResourceVersion(),
                                        o.path("metadata").path("generation").asLong(),
                                        Long.parseLong(o.path("metadata").path("labels").path("rev").asText())});
                            }
                        }
                    }));
            hyprd.asyncClient().watch(WatchRequest.newBuilder().setKind("Sync").setName("settle")
                    .setResourceVersion(from).build(), observer(e -> {
                        String applied = Json.parseObject(e.getJson()).path("status").path("lastAppliedRevision").asText();
                        if (syncRevisions.isEmpty() || !syncRevisions.get(syncRevisions.size() - 1).equals(applied)) {
                            syncRevisions.add(applied);
                        }
                    }));
        });
        try {
            for (int i = 0; i < 20; i++) {
                Files.writeString(dir.resolve("vol-" + i + ".yaml"), revVolume("st-" + i, 2));
                Thread.sleep(20); // one by one, as a script or an editor saving every buffer would
            }
            await("second revision applied", () -> status("settle"),
                    s -> !firstRevision.equals(s.path("lastAppliedRevision").asText()));
            Thread.sleep(2500); // two more intervals: no further pass may change anything
        } finally {
            watching.cancel(null);
        }
        assertEquals(20, transitions.size(), "each object changed exactly once: " + transitions.size());
        for (long[] t : transitions) {
            assertEquals(2, t[1], "generation went up once");
            assertEquals(2, t[2], "straight to the new state");
        }
        long low = transitions.stream().mapToLong(t -> t[0]).min().orElseThrow();
        long high = transitions.stream().mapToLong(t -> t[0]).max().orElseThrow();
        assertEquals(19, high - low, "all 20 in one store batch: no moment had old and new objects mixed");
        List<String> newRevisions = syncRevisions.stream().filter(r -> !r.equals(firstRevision)).distinct().toList();
        assertEquals(1, newRevisions.size(), "one new pass applied: " + syncRevisions);
    }

    private static StreamObserver<WatchEvent> observer(java.util.function.Consumer<WatchEvent> onEvent) {
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchEvent e) {
                onEvent.accept(e);
            }

            @Override
            public void onError(Throwable t) {
                // cancelled at the end of the test
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static String revVolume(String name, int rev) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: " + name + "\n  labels:\n    rev: \""
                + rev + "\"\nspec:\n  sizeMiB: " + (15 + rev) + "\n";
    }

    @Test
    void removedFileIsPrunedOnlyWithPrune() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("prune"));
        Files.writeString(dir.resolve("a.yaml"), volume("pr-a", 16) + "---\n" + volume("pr-b", 16));
        Files.writeString(dir.resolve("c.yaml"), volume("pr-c", 16));
        applyPlain(volume("pr-hand", 8)); // applied by hand, no label: never pruned
        applySync("prune", dir, false);
        await("applied", () -> status("prune"), s -> ready(s) && managed("prune") == 3);

        Files.delete(dir.resolve("c.yaml"));
        await("new revision seen", () -> status("prune"), s -> s.path("counts").path("unchanged").asInt() == 2);
        assertTrue(find("volume", "pr-c").isPresent(), "without prune the object stays");

        applySync("prune", dir, true);
        // counts describe the last pass only, so wait for the effect rather than for pruned == 1
        await("pruned", () -> find("volume", "pr-c"), Optional::isEmpty);
        assertTrue(find("volume", "pr-hand").isPresent(), "hand-applied objects are never pruned");
    }

    @Test
    void invalidFileBlocksThePassAndKeepsWhatRuns() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("invalid"));
        Files.writeString(dir.resolve("ok.yaml"), volume("iv-ok", 32));
        applySync("invalid", dir, true);
        await("applied", () -> status("invalid"), SyncIT::ready);
        // the Volume controller writes status (resourceVersion moves); generation moves only with the spec
        String generationBefore = get("volume", "iv-ok").path("metadata").path("generation").asText();

        // the invalid file first: the watcher may start a pass between the two writes, and a pass
        // that saw only the valid change would rightly apply it
        Files.writeString(dir.resolve("bad.yaml"),
                "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: iv-bad\nspec:\n  sizeMiB: lots\n");
        Files.writeString(dir.resolve("ok.yaml"), volume("iv-ok", 64)); // valid change, must not apply
        JsonNode status = await("validation failure reported", () -> status("invalid"),
                s -> "ValidationFailed".equals(condition(s, "Ready").path("reason").asText()));
        assertEquals("True", condition(status, "Stalled").path("status").asText());
        String errors = status.path("errors").toString();
        assertTrue(errors.contains(dir.resolve("bad.yaml") + ":6:"), errors);
        assertEquals(generationBefore, get("volume", "iv-ok").path("metadata").path("generation").asText());
        assertEquals(32, get("volume", "iv-ok").path("spec").path("sizeMiB").asInt(), "the valid change was not applied");
        assertFalse(find("volume", "iv-bad").isPresent());
        assertFalse(status.path("lastAttemptedRevision").asText().equals(status.path("lastAppliedRevision").asText()));
    }

    @Test
    void followsAGitBranchAndReportsTheCommit() throws Exception {
        Path repoDir = tmp.resolve("repo");
        try (Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(repoDir.resolve("deploy"));
            Files.writeString(repoDir.resolve("deploy/a.yaml"), volume("git-a", 16));
            Files.writeString(repoDir.resolve("README.yaml.txt"), "not read");
            RevCommit first = commit(git, "first");
            ObjectNode sync = syncObject("gitsync", null, true);
            ObjectNode source = ((ObjectNode) sync.path("spec")).putObject("source");
            ObjectNode gitSource = source.putObject("git");
            gitSource.put("url", repoDir.toUri().toString());
            gitSource.put("ref", "main");
            gitSource.put("path", "deploy");
            applyPlain(Json.write(sync));
            await("first commit applied", () -> status("gitsync"),
                    s -> first.name().equals(s.path("lastAppliedRevision").asText()));
            assertTrue(find("volume", "git-a").isPresent());

            Files.writeString(repoDir.resolve("deploy/b.yaml"), volume("git-b", 16));
            git.rm().addFilepattern("deploy/a.yaml").call();
            RevCommit second = commit(git, "second");
            JsonNode status = await("second commit applied", () -> status("gitsync"),
                    s -> second.name().equals(s.path("lastAppliedRevision").asText()));
            assertTrue(find("volume", "git-b").isPresent());
            assertFalse(find("volume", "git-a").isPresent(), "pruned with the commit that removed it");
            assertTrue(ready(status), status.toString());
            assertTrue(Files.isDirectory(hyprd.home().resolve("cache/sync/gitsync/.git")));
        }
    }

    @Test
    void aSecondSyncClaimingAnObjectReportsAConflictAndLeavesItAlone() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("claim-a"));
        Path second = Files.createDirectories(tmp.resolve("claim-b"));
        Files.writeString(first.resolve("vol.yaml"), volume("claimed", 64));
        Files.writeString(second.resolve("vol.yaml"), volume("claimed", 999));
        applySync("claim-a", first, false);
        await("first sync owns it", () -> get("volume", "claimed"),
                o -> "claim-a".equals(o.path("metadata").path("labels").path("hypr.dev/sync").asText()));
        applySync("claim-b", second, false);
        JsonNode conflicted = await("second sync reports the conflict", () -> status("claim-b"),
                s -> "Conflict".equals(condition(s, "Ready").path("reason").asText()));
        assertTrue(conflicted.toString().contains("claimed"), conflicted.toString());
        Thread.sleep(2500); // two more intervals of both syncs: nobody fights over it
        ObjectNode vol = get("volume", "claimed");
        assertEquals(64, vol.path("spec").path("sizeMiB").asInt());
        assertEquals(1, vol.path("metadata").path("generation").asInt());
    }

    @Test
    void suspendedSyncAppliesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("suspended"));
        Files.writeString(dir.resolve("vol.yaml"), volume("never-applied", 64));
        ObjectNode sync = syncObject("paused", dir, false);
        ((ObjectNode) sync.get("spec")).put("suspend", true);
        applyPlain(Json.write(sync));
        JsonNode s = await("suspended reported", () -> status("paused"),
                st -> "Suspended".equals(condition(st, "Ready").path("reason").asText()));
        assertFalse(find("volume", "never-applied").isPresent(), s.toString());
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").setSign(false).call();
    }

    static ObjectNode syncObject(String name, Path dir, boolean prune) {
        ObjectNode o = Json.parseObject("{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Sync\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"intervalSeconds\":1}}");
        ObjectNode spec = (ObjectNode) o.get("spec");
        spec.put("prune", prune);
        if (dir != null) {
            spec.putObject("source").put("path", dir.toString());
        }
        return o;
    }

    static void applySync(String name, Path dir, boolean prune) {
        applyPlain(Json.write(syncObject(name, dir, prune)));
    }

    static void applyPlain(String jsonOrYaml) {
        String json = jsonOrYaml.startsWith("{") ? jsonOrYaml : Json.write(
                dev.hypr.api.codec.ManifestReader.read("t.yaml", jsonOrYaml.getBytes()).manifests().get(0).object());
        api.apply(ApplyRequest.newBuilder().addObjects(Manifest.newBuilder().setJson(json)).build());
    }

    static String network(String name, String subnet) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: " + name + "\nspec:\n  subnet: " + subnet + "\n";
    }

    static String volume(String name, int mib) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: " + name + "\nspec:\n  sizeMiB: " + mib + "\n";
    }

    static JsonNode status(String sync) {
        return get("sync", sync).path("status");
    }

    static boolean ready(JsonNode status) {
        return "True".equals(condition(status, "Ready").path("status").asText());
    }

    static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    static int managed(String sync) {
        return api.list(ListRequest.newBuilder().setLabelSelector("hypr.dev/sync=" + sync).build()).getItemsCount();
    }

    static ObjectNode get(String kind, String name) {
        return Json.parseObject(api.get(GetRequest.newBuilder().setKind(kind).setName(name).build()).getJson());
    }

    static Optional<ObjectNode> find(String kind, String name) {
        try {
            return Optional.of(get(kind, name));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** Polls until the condition holds (15 s at most); a missing object counts as "not yet". */
    static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (StatusRuntimeException e) {
                last = null;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": not reached in 15 s; last seen: " + last + "\n" + hyprd.output());
    }
}
