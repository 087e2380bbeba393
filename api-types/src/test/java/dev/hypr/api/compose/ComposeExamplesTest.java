package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Every examples/compose/NAME/compose.yaml translates into exactly its expected.yaml (the Stack,
 * with the warnings as leading comments). Regenerate with -Dhypr.updateDocs=true and review the diff.
 */
class ComposeExamplesTest {
    private static Path examples() {
        return Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize().resolve("examples/compose");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleTranslatesToItsExpectedStack() throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(examples())) {
            dirs = list.filter(d -> Files.isRegularFile(d.resolve("compose.yaml"))).sorted().toList();
        }
        assertFalse(dirs.size() < 15, "at least 15 examples (issue 12) under " + examples());
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        ComposeResult result = ComposeTranslator.translate(ComposeRequest.of(dir.resolve("compose.yaml")));
        assertEquals(List.of(), result.errors().stream().map(ManifestError::format).toList());
        String rendered = render(dir, result);
        Path expectedFile = dir.resolve("expected.yaml");
        if (Boolean.getBoolean("hypr.updateDocs")) {
            Files.writeString(expectedFile, rendered);
        }
        assertEquals(rendered, Files.readString(expectedFile), "expected.yaml is stale: rerun with -Dhypr.updateDocs=true");
        // What the file says is also what reading it gives back (relative paths resolve to the translator's).
        ReadResult read = ManifestReader.readPath(expectedFile, false);
        assertEquals(List.of(), read.errors());
        assertEquals(result.stack().toString(), read.manifests().get(0).object().toString());
    }

    /** The Stack as YAML with paths relative to the example, and each warning as a comment above it. */
    private static String render(Path dir, ComposeResult result) {
        StringBuilder out = new StringBuilder();
        for (ManifestError w : result.warnings()) {
            out.append("# warning: ").append(w.format().replace(dir + "/", "")).append('\n');
        }
        JsonNode stack = result.stack();
        Object plain = Json.MAPPER.convertValue(stack, Object.class);
        String yaml = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndicatorIndent(2)
                .setIndentWithIndicator(true).build()).dumpToString(plain);
        return out.append(yaml.replace(dir + "/", "./").replace(": " + dir + "\n", ": .\n")).toString();
    }
}
