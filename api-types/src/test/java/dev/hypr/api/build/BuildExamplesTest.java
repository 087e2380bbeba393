package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The pure half of the conformance suite: every examples/builds Dockerfile parses, its stages
 * evaluate (with the expected build args and target) to the image config expected.yaml names,
 * and every COPY from the context puts the expected files (content and mode) where expected and
 * nothing at an {@code absent} path. The expectations themselves are checked against buildah by
 * examples/builds/check-with-buildah.sh; executing RUN is the builder's (and its ITs') job.
 */
class BuildExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static Path examples() {
        return Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize().resolve("examples/builds");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleParsesAndEvaluatesToItsExpectedConfig() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(examples())) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve("Dockerfile"))).sorted().toList();
        }
        assertTrue(dirs.size() >= 20, "at least 20 examples: " + dirs.size());
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Path dir) throws Exception {
        Map<String, Object> expected = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(dir.resolve("expected.yaml")));
        Map<String, String> buildArgs = new HashMap<>();
        ((Map<String, Object>) expected.getOrDefault("buildArgs", Map.of())).forEach((k, v) -> buildArgs.put(k, String.valueOf(v)));
        buildArgs.put("BASE", "localhost/busybox:base");
        String target = (String) expected.get("target");

        Dockerfile df = Dockerfile.parse("Dockerfile", Files.readString(dir.resolve("Dockerfile")));
        StageGraph graph = StageGraph.of(df, buildArgs);
        StageEvaluator ev = new StageEvaluator(df, buildArgs, "linux/amd64");
        BuildContext ctx = BuildContext.walk(dir);
        Map<Integer, BuildConfig> built = new HashMap<>();
        Map<String, CopySources.Item> copied = new LinkedHashMap<>();
        List<Stage> order = graph.buildOrder(target);
        for (Stage stage : order) {
            StageGraph.Node node = graph.node(stage.index());
            BuildConfig base = node.baseStage() >= 0 ? built.get(node.baseStage()) : busybox();
            assertEquals("localhost/busybox:base", node.baseStage() >= 0 ? "localhost/busybox:base" : ev.baseImage(stage));
            StageEvaluator.State st = ev.begin(stage, base);
            boolean last = stage == order.get(order.size() - 1);
            for (Instruction ins : stage.instructions()) {
                Instruction done = st.apply(ins);
                if (last && done instanceof Instruction.Copy c && c.from() == null && c.heredocs().isEmpty()
                        && !(c.add() && c.sources().stream().anyMatch(s -> s.endsWith(".tar")))) {
                    for (CopySources.Item item : CopySources.plan(ctx, c.sources(), c.dest(), c.excludes())) {
                        copied.put(item.target(), item);
                    }
                }
            }
            built.put(stage.index(), st.config());
        }
        assertTrue(ev.unusedBuildArgs().isEmpty(), "unused build args " + ev.unusedBuildArgs());
        checkConfig((Map<String, Object>) expected.get("config"), built.get(order.get(order.size() - 1).index()).toJson());
        checkCopies(dir, (Map<String, Map<String, Object>>) expected.getOrDefault("files", Map.of()), copied);
        for (Object absent : (List<Object>) expected.getOrDefault("absent", List.of())) {
            String p = (String) absent;
            copied.keySet().forEach(t -> assertFalse(t.equals(p) || t.startsWith(p + "/"), "COPY puts " + t + " under absent " + p));
        }
    }

    private static BuildConfig busybox() {
        BuildConfig c = new BuildConfig();
        c.env.put("PATH", PATH.substring(5));
        c.cmd = List.of("sh");
        return c;
    }

    private static void checkConfig(Map<String, Object> expected, ObjectNode actual) {
        if (expected == null) {
            return;
        }
        expected.forEach((key, want) -> {
            JsonNode got = actual.get(key);
            Object gotValue = got == null ? null : JSON.convertValue(got, Object.class);
            if (key.equals("ExposedPorts") || key.equals("Volumes")) {
                List<String> names = new ArrayList<>();
                if (got != null) {
                    got.fieldNames().forEachRemaining(names::add);
                }
                assertEquals(new java.util.TreeSet<>((List<?>) want), new java.util.TreeSet<>(names), key);
                return;
            }
            assertEquals(normalise(want), normalise(gotValue), "config " + key);
        });
    }

    /** YAML ints and JSON longs compare equal. */
    private static Object normalise(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, normalise(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(BuildExamplesTest::normalise).toList();
        }
        return o;
    }

    private static void checkCopies(Path dir, Map<String, Map<String, Object>> files, Map<String, CopySources.Item> copied)
            throws IOException {
        for (Map.Entry<String, Map<String, Object>> f : files.entrySet()) {
            CopySources.Item item = copied.get(f.getKey());
            if (item == null) {
                continue; // made by RUN, ADD of a tar, a heredoc or another stage: the builder's ITs check those
            }
            Map<String, Object> want = f.getValue();
            String type = (String) want.getOrDefault("type", "file");
            BuildContext.Entry e = item.entry();
            assertEquals(type, switch (e.type()) {
                case FILE -> "file";
                case DIR -> "dir";
                case SYMLINK -> "symlink";
            }, f.getKey());
            if (want.containsKey("content")) {
                assertEquals(want.get("content"), Files.readString(dir.resolve(e.path())), f.getKey());
            }
            if (want.containsKey("target")) {
                assertEquals(want.get("target"), e.linkTarget(), f.getKey());
            }
            boolean chmod = want.containsKey("mode") && !want.get("mode").equals(String.format("0%o", e.mode()));
            if (chmod) {
                // Only a --chmod may change the mode; the expected one must then differ from the context's.
                assertTrue(Files.readString(dir.resolve("Dockerfile")).contains("--chmod=" + want.get("mode")), f.getKey()
                        + ": mode " + want.get("mode") + " but the context has 0" + Integer.toOctalString(e.mode()));
            }
        }
    }
}
