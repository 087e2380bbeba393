package dev.hypr.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.validation.ObjectValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncEngineTest {
    private static final ObjectValidator VALIDATOR = ObjectValidator.standard();

    @TempDir
    Path dir;

    private final InMemoryTarget target = new InMemoryTarget();
    private final SyncEngine engine = new SyncEngine(VALIDATOR);

    @BeforeEach
    void twoNetworksAndAVolume() throws IOException {
        write("net.yaml", network("front", "10.1.0.0/24") + "---\n" + network("back", "10.2.0.0/24"));
        write("sub/vol.yml", volume("data", 512));
    }

    @Test
    void firstPassCreatesEverythingWithTheSyncLabel() {
        SyncReport report = pass("s1", false, false);
        assertEquals(Map.of("Network/back", SyncAction.CREATED, "Network/front", SyncAction.CREATED,
                "Volume/data", SyncAction.CREATED), actions(report));
        target.objects.values().forEach(o -> assertEquals("s1", SyncLabels.managingSync(o).orElseThrow()));
    }

    @Test
    void secondPassIsUnchangedAndWritesNothing() {
        pass("s1", false, false);
        int writes = target.writes;
        target.applyCalls = 0;
        target.gets = 0;
        SyncReport report = pass("s1", true, false);
        assertEquals(3, report.count(SyncAction.UNCHANGED));
        assertEquals(writes, target.writes);
        assertEquals(0, target.applyCalls, "unchanged objects must not even be sent");
        assertEquals(0, target.gets, "managed objects come from the one list, not per-object gets");
    }

    @Test
    void editedFileConfiguresOnlyThatObject() throws IOException {
        pass("s1", false, false);
        write("sub/vol.yml", volume("data", 1024));
        SyncReport report = pass("s1", false, false);
        assertEquals(SyncAction.CONFIGURED, actions(report).get("Volume/data"));
        assertEquals(SyncAction.UNCHANGED, actions(report).get("Network/front"));
        assertEquals(1024, target.objects.get("Volume/data").path("spec").path("sizeMiB").asInt());
    }

    @Test
    void removedFilePrunesOnlyWithPrune() throws IOException {
        pass("s1", false, false);
        Files.delete(dir.resolve("sub/vol.yml"));
        assertFalse(actions(pass("s1", false, false)).containsKey("Volume/data"));
        assertTrue(target.objects.containsKey("Volume/data"), "without prune nothing is deleted");
        assertEquals(SyncAction.PRUNED, actions(pass("s1", true, false)).get("Volume/data"));
        assertFalse(target.objects.containsKey("Volume/data"));
    }

    @Test
    void handAppliedObjectsWithoutTheLabelAreNeverPruned() throws IOException {
        target.objects.put("Volume/mine", Json.parseObject(
                "{\"apiVersion\":\"hypr.dev/v1alpha1\",\"kind\":\"Volume\",\"metadata\":{\"name\":\"mine\"},\"spec\":{\"sizeMiB\":1}}"));
        pass("s1", true, false);
        assertTrue(target.objects.containsKey("Volume/mine"));
    }

    @Test
    void objectOfAnotherSyncIsAConflictAndLeftAlone() {
        pass("other", false, false);
        ObjectNode before = target.objects.get("Network/front").deepCopy();
        SyncReport report = pass("s2", true, false);
        assertEquals(3, report.conflicts().size());
        assertTrue(report.conflicts().get(0).message().contains("managed by Sync other"), report.conflicts().toString());
        assertEquals(before, target.objects.get("Network/front"));
    }

    @Test
    void oneInvalidFileBlocksTheWholePassAndNamesEveryError() throws IOException {
        pass("s1", false, false);
        write("sub/vol.yml", volume("data", 2048));
        write("zz-bad.yaml", "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: bad\nspec:\n  subnet: nope\n");
        write("zz-broken.yaml", "kind: [\n");
        SyncReport report = pass("s1", true, false);
        assertFalse(report.valid());
        assertTrue(report.results().isEmpty());
        List<String> errors = report.errors().stream().map(e -> e.format()).toList();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(dir + "/zz-bad.yaml:6:")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(dir + "/zz-broken.yaml:")), errors.toString());
        assertEquals(512, target.objects.get("Volume/data").path("spec").path("sizeMiB").asInt(), "nothing applied");
    }

    @Test
    void dryRunReportsButChangesNothing() throws IOException {
        pass("s1", false, false);
        Files.delete(dir.resolve("net.yaml"));
        write("sub/vol.yml", volume("data", 4096));
        Map<String, ObjectNode> before = new TreeMap<>(target.objects);
        SyncReport report = pass("s1", true, true);
        assertEquals(SyncAction.CONFIGURED, actions(report).get("Volume/data"));
        assertEquals(SyncAction.PRUNED, actions(report).get("Network/front"));
        assertEquals(before, target.objects);
    }

    @Test
    void hiddenFilesAndUntranslatedComposeNamesAreSkippedAndTheHashFollowsContent() throws IOException {
        write(".git/config.yaml", "not: [valid");
        write(".hidden.yaml", "not: [valid");
        write("compose-prod.yaml", "services: {web: {image: nginx}}");
        SourceSnapshot first = SourceDirectoryReader.read(dir, dir + "/");
        assertTrue(first.errors().isEmpty(), first.errors().toString());
        assertEquals(3, first.manifests().size());
        assertEquals(1, first.notes().size());
        assertEquals(first.contentHash(), SourceDirectoryReader.read(dir, "").contentHash());
        write("sub/vol.yml", volume("data", 513));
        assertFalse(first.contentHash().equals(SourceDirectoryReader.read(dir, "").contentHash()));
    }

    @Test
    void theGitopsExampleDirectoryAppliesAsItIs() {
        Path gitops = Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize()
                .resolve("examples/gitops");
        SyncReport report = engine.run("platform", SourceDirectoryReader.read(gitops, "examples/gitops/"), true, false,
                new InMemoryTarget());
        assertTrue(report.valid(), report.errors().toString());
        assertEquals(7, report.count(SyncAction.CREATED), report.results().toString());
    }

    private SyncReport pass(String name, boolean prune, boolean dryRun) {
        return engine.run(name, SourceDirectoryReader.read(dir, dir + "/"), prune, dryRun, target);
    }

    private static Map<String, SyncAction> actions(SyncReport report) {
        return report.results().stream().collect(Collectors.toMap(ObjectResult::ref, ObjectResult::action));
    }

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    static String network(String name, String subnet) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Network\nmetadata:\n  name: " + name + "\nspec:\n  subnet: " + subnet + "\n";
    }

    static String volume(String name, int mib) {
        return "apiVersion: hypr.dev/v1alpha1\nkind: Volume\nmetadata:\n  name: " + name + "\nspec:\n  sizeMiB: " + mib + "\n";
    }
}
