package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong shapes anywhere give positioned errors, never an exception. */
class MalformedInputTest {
    @TempDir
    Path dir;

    @Test
    void wrongShapesAreErrorsNotExceptions() throws IOException {
        List<String> inputs = List.of(
                "[]", "services: []", "services: {web: []}", "services: {web: 5}", "just text",
                "services: {web: {image: a, ports: 80}}", "services: {web: {image: a, ports: [{}]}}",
                "services: {web: {image: a, ports: [[1]]}}", "services: {web: {image: a, environment: 5}}",
                "services: {web: {image: a, environment: {A: [1]}}}", "services: {web: {image: a, volumes: [{}]}}",
                "services: {web: {image: a, volumes: [{type: npipe, target: /x}]}}", "services: {web: {image: a, healthcheck: {test: [[1]]}}}",
                "services: {web: {image: a, healthcheck: {test: []}}}", "services: {web: {image: a, healthcheck: {test: [CMD]}}}",
                "services: {web: {image: a, healthcheck: 5}}", "services: {web: {image: a, healthcheck: {interval: 5s}}}",
                "services: {web: {image: a, depends_on: 5}}", "services: {web: {image: a, depends_on: {db: {condition: x}}}}",
                "services: {web: {image: a, deploy: 5}}", "services: {web: {image: a, deploy: {replicas: -1}}}",
                "services: {web: {image: a, deploy: {resources: {limits: {cpus: zero, memory: lots}}}}}",
                "services: {web: {image: a, restart: sometimes}}", "services: {web: {image: a, networks: 5}}",
                "services: {web: {image: a, networks: [missing]}}", "services: {web: {image: a, secrets: [missing]}}",
                "services: {web: {image: a, secrets: [{}]}}", "services: {web: {image: a, command: {a: b}}}",
                "services: {web: {image: a, command: \"echo 'open\"}}", "services: {web: {image: a, labels: 5}}",
                "services: {web: {image: a, stop_grace_period: soon}}", "services: {web: {image: a, build: [x]}}",
                "services: {web: {image: a, env_file: missing.env}}", "services: {web: {image: a, env_file: [{required: true}]}}",
                "services: {web: {extends: nothing}}", "services: {web: {extends: web}}", "services: {web: {extends: {file: no.yaml, service: x}}}",
                "services: {web: {image: a}}\nnetworks: {n: 5}", "services: {web: {image: a}}\nvolumes: {v: [1]}",
                "services: {web: {image: a}}\nsecrets: {s: {}}", "services: {web: {image: a}}\nsecrets: {s: 5}",
                "services: {web: {image: a}}\ninclude: 5", "services: {web: {image: a}}\ninclude: [{}]", "services: {web: {image: a}}\ninclude: [missing.yaml]",
                "services: {web: {image: a, profiles: debug}}", "services: {web: {image: a}}\nbogus: 1",
                "services: {web: {image: \"${A:?}\"}}", "services: {web: {image: \"${\"}}", "a: &a [*a]",
                "services: {web: {image: a, <<: 5}}", "services: {web: {image: !!binary aGk=}}", "x: 1\n---\ny: 2",
                "services: {'': {image: a}}", "services: {web: {image: a}, WEB: {image: b}}",
                "services: {web: {image: a, links: [ghost]}}", "services: {web: {image: a, network_mode: none, networks: [x]}}");
        List<String> failures = new java.util.ArrayList<>();
        for (String input : inputs) {
            Path file = dir.resolve("compose.yaml");
            Files.writeString(file, input);
            ComposeResult result;
            try {
                result = ComposeTranslator.translate(ComposeRequest.of(file).withProjectName("p"));
            } catch (RuntimeException e) {
                failures.add("exception for: " + input + ": " + e);
                continue;
            }
            if (result.ok()) {
                failures.add("no error for: " + input);
                continue;
            }
            assertTrue(result.objects().isEmpty(), input);
            result.errors().forEach(e -> assertTrue(e.position().line() >= 1 && e.position().source().endsWith(".yaml")
                    || e.position().source().endsWith(".env"), input + " → " + e));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
