package dev.hypr.controller.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.controller.events.EventRecorder;
import dev.hypr.controller.store.CachedObjectStore;
import dev.hypr.controller.store.InMemoryPersistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every translated example Stack (examples/compose/NAME/expected.yaml) through the Stack
 * controller: the VMs, Networks and Volumes it makes pass the API's validation; the only
 * services that cannot run are those the docs name (build references aside, which the CLI
 * refuses: configs, secrets from the client's environment).
 */
class StackExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize().resolve("examples/compose");

    @Test
    void everyExampleBecomesValidObjects() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.map(d -> d.resolve("expected.yaml")).filter(Files::exists).sorted().toList();
        }
        assertFalse(files.isEmpty());
        List<String> unexpected = new ArrayList<>();
        for (Path file : files) {
            CachedObjectStore store = new CachedObjectStore(new InMemoryPersistence(100), Clock.systemUTC());
            StackReconciler r = new StackReconciler();
            r.store = store;
            r.events = new EventRecorder();
            // read and validated as hyprctl apply and the API do: relative paths made absolute, defaults filled in
            var manifest = dev.hypr.api.codec.ManifestReader.readPath(file, false).manifests().get(0);
            assertEquals(List.of(), dev.hypr.api.validation.ObjectValidator.standard().validate(manifest), file.toString());
            ObjectNode stack = manifest.object();
            store.apply(List.of(stack), false);
            String name = stack.path("metadata").path("name").asText();
            r.reconcile(name);
            JsonNode status = store.get(Kind.STACK, name).orElseThrow().path("status");
            assertEquals(stack.path("spec").path("services").size(), status.path("services").size(), file.toString());
            for (JsonNode s : status.path("services")) {
                String error = s.path("lastError").asText("");
                boolean documented = error.isEmpty() || error.contains("configs (") || error.contains("client's environment");
                if (!documented || error.contains("would be invalid")) {
                    unexpected.add(file.getParent().getFileName() + "/" + s.path("name").asText() + ": " + error);
                }
            }
        }
        assertEquals(List.of(), unexpected);
    }
}
