package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.model.ApiObject;
import dev.hypr.api.model.Specs;
import dev.hypr.api.model.StackSpec;
import dev.hypr.api.validation.ObjectValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Translates every file of the shared awesome-compose corpus: each translates into a valid Stack,
 * or fails with the deliberate error that MATRIX.md justifies, named here by file.
 */
class ComposeCorpusTest {
    static Path corpus() {
        return Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize()
                .resolve("../shared/compose-corpus/awesome").normalize();
    }

    /** File → the one error it must fail with (MATRIX.md: reject what cannot be honoured). */
    private static final Map<String, String> EXPECTED_FAILURES = Map.of(
            "plex.yaml", "plex.yaml:5:19: services.plex.network_mode: network_mode \"host\" cannot be honoured",
            "wasmedge-kafka-mysql.yaml", "wasmedge-kafka-mysql.yaml:32:14: services.etl.runtime: runtime \"io.containerd.wasmedge.v1\" is not supported",
            "wasmedge-mysql-nginx.yaml", "wasmedge-mysql-nginx.yaml:20:14: services.backend.runtime: runtime \"io.containerd.wasmedge.v1\" is not supported");

    /** No key without effect is dropped silently: each service key marked WARNED has a warning at its path. */
    private static void assertEveryWarnedKeyIsReported(Path file, ComposeResult result) throws IOException {
        YNode.YMap model = ComposeYamlLoader.load(file.toString(), Files.readAllBytes(file));
        if (!(model.get("services") instanceof YNode.YMap services)) {
            return;
        }
        List<String> warned = result.warnings().stream().map(ManifestError::fieldPath).toList();
        services.entries().forEach((service, node) -> ((YNode.YMap) node).entries().keySet().forEach(key -> {
            ComposeKeys.Key known = ComposeKeys.SERVICE.get(key);
            if (known != null && known.status() == ComposeKeys.Status.WARNED) {
                assertTrue(warned.contains("services." + service + "." + key), file + ": no warning for services." + service + "." + key + " in " + warned);
            }
        }));
    }

    @Test
    void everyCorpusFileTranslatesOrFailsDeliberately() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(corpus())) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertEquals(39, files.size(), "corpus files under " + corpus());
        Map<String, String> failures = new TreeMap<>();
        int translated = 0;
        for (Path file : files) {
            ComposeResult result = ComposeTranslator.translate(ComposeRequest.of(file).withProjectName(
                    Names.projectName(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""))));
            String name = file.getFileName().toString();
            if (!result.ok()) {
                failures.put(name, String.join("\n", result.errors().stream().map(e -> e.format().substring(e.format().indexOf(name))).toList()));
                continue;
            }
            translated++;
            ObjectNode stack = result.stack();
            List<ManifestError> invalid = ObjectValidator.standard().validate(new Manifest(stack.deepCopy(), new SourcePosition(name, 1, 1)));
            assertEquals(List.of(), invalid, name);
            ApiObject<?, ?> typed = ApiObject.from(stack, Specs.specType(Kind.STACK), Specs.statusType(Kind.STACK));
            assertFalse(((StackSpec) typed.spec()).services().isEmpty(), name);
            assertEveryWarnedKeyIsReported(file, result);
        }
        failures.forEach((f, e) -> System.out.println("deliberate error: " + e));
        assertEquals(EXPECTED_FAILURES.keySet(), failures.keySet(), failures.toString());
        EXPECTED_FAILURES.forEach((f, expected) -> assertTrue(failures.get(f).startsWith(expected), f + ": " + failures.get(f)));
        assertEquals(39 - EXPECTED_FAILURES.size(), translated);
    }
}
