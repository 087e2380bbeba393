package dev.hypr.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.validation.ObjectValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose files in a Sync source: one Stack each, errors at the file as the Sync names it. */
class ComposeSourcesTest {
    @TempDir
    Path dir;

    private void write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static Manifest only(SourceSnapshot s, String kind, String name) {
        return s.manifests().stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + s.manifests()));
    }

    @Test
    void composeYamlInADirectoryBecomesAStackNamedAfterTheDirectory() throws IOException {
        write("shop/compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    environment:\n      - MODE=${MODE:-prod}\n");
        write("shop/.env", "MODE=staging\n");
        SourceSnapshot s = SourceDirectoryReader.read(dir, "repo/");
        assertTrue(s.errors().isEmpty(), s.errors().toString());
        Manifest stack = only(s, "Stack", "shop");
        assertEquals("repo/shop/compose.yaml:1:1", stack.position().toString());
        // the file's own .env is the project's environment
        assertEquals("staging", stack.object().path("spec").path("services").get(0).path("env").get(0).path("value").asText());
        assertTrue(ObjectValidator.standard().validate(stack).isEmpty());
    }

    @Test
    void namedComposeFileGivesTheProjectNameAndAnOverrideIsMerged() throws IOException {
        write("web.compose.yaml", "name: ignored\nservices:\n  web:\n    image: nginx:1.27\n");
        write("compose.yaml", "name: base\nservices:\n  api:\n    image: api:1\n");
        write("compose.override.yaml", "services:\n  api:\n    image: api:2\n");
        SourceSnapshot s = SourceDirectoryReader.read(dir, "");
        assertTrue(s.errors().isEmpty(), s.errors().toString());
        assertEquals(2, s.manifests().size(), s.manifests().toString());
        only(s, "Stack", "web");
        assertEquals("api:2", only(s, "Stack", "base").object().path("spec").path("services").get(0).path("image").asText());
    }

    @Test
    void theCallersEnvironmentNeverReachesTheFile() throws IOException {
        write("compose.yaml", "name: env\nservices:\n  web:\n    image: nginx:1.27\n    environment:\n      - H=${HOME}\n");
        SourceSnapshot s = SourceDirectoryReader.read(dir, "");
        assertEquals("", only(s, "Stack", "env").object().path("spec").path("services").get(0).path("env").get(0)
                .path("value").asText());
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("warning: compose.yaml:6:") && n.contains("HOME")),
                s.notes().toString());
    }

    @Test
    void aTranslationErrorNamesTheFileLineAndColumnAndYieldsNoStack() throws IOException {
        write("apps/bad/compose.yaml", "services:\n  web:\n    image: nginx\n    portz: [80]\n");
        SourceSnapshot s = SourceDirectoryReader.read(dir, "src/");
        assertTrue(s.manifests().isEmpty());
        List<String> errors = s.errors().stream().map(ManifestError::format).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("src/apps/bad/compose.yaml:4:5: "), errors.get(0));
        assertTrue(errors.get(0).contains("portz"), errors.get(0));
    }

    @Test
    void editingTheOverrideFileChangesTheRevision() throws IOException {
        write("compose.yaml", "name: rev\nservices:\n  api:\n    image: api:1\n");
        write("compose.override.yaml", "services:\n  api:\n    image: api:2\n");
        String before = SourceDirectoryReader.read(dir, "").contentHash();
        write("compose.override.yaml", "services:\n  api:\n    image: api:3\n");
        assertFalse(before.equals(SourceDirectoryReader.read(dir, "").contentHash()));
    }
}
