package dev.hypr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import dev.hypr.api.model.ApiObject;
import dev.hypr.api.model.Specs;
import dev.hypr.api.validation.ObjectValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every object file under examples/ must read, validate, and convert to the typed model. */
class ExamplesTest {
    static Path repoRoot() {
        return Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize();
    }

    static boolean isObjectFile(Path p) {
        String name = p.getFileName().toString();
        boolean composeFile = name.matches("(docker-)?compose.*\\.ya?ml") || name.startsWith("docker-compose");
        // examples/compose/NAME/ holds compose projects (their files are not objects) and expected.yaml, the Stack.
        if (p.toString().contains("/examples/compose/") && !name.equals("expected.yaml")) {
            return false;
        }
        // examples/builds/NAME/ holds Dockerfiles, their contexts and expected.yaml (a file tree, not an object).
        if (p.toString().contains("/examples/builds/")) {
            return false;
        }
        return name.matches(".*\\.(ya?ml|json)") && !composeFile;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsAValidObject() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(repoRoot().resolve("examples"))) {
            files = walk.filter(Files::isRegularFile).filter(ExamplesTest::isObjectFile).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no examples found under " + repoRoot());
        ObjectValidator validator = ObjectValidator.standard();
        return files.stream().map(file -> DynamicTest.dynamicTest(repoRoot().relativize(file).toString(), () -> {
            ReadResult read = ManifestReader.readPath(file, false);
            assertEquals(List.of(), read.errors().stream().map(ManifestError::format).toList());
            assertEquals(List.of(), validator.validateAll(read.manifests()).stream().map(ManifestError::format).toList());
            for (Manifest m : read.manifests()) {
                Kind kind = Kind.fromKindName(m.kind()).orElseThrow();
                ApiObject<?, ?> typed = ApiObject.from(m.object(), Specs.specType(kind), Specs.statusType(kind));
                assertNotNull(typed.spec(), m.ref());
                assertEquals(m.name(), typed.name());
            }
        }));
    }
}
