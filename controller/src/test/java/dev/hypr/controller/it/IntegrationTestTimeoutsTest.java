package dev.hypr.controller.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No integration test can hang CI: every {@code *IT} class carries a class-level
 * {@code @Timeout(..., threadMode = SEPARATE_THREAD)}, which fails the test when time is up even
 * if the code under test ignores interruption (a blocking read, a process wait).
 */
class IntegrationTestTimeoutsTest {
    private static final Path ROOT = Path.of(System.getProperty("hypr.root", ".."));
    private static final Pattern CLASS_TIMEOUT = Pattern.compile(
            "(?m)^@Timeout\\([^)]*threadMode = Timeout\\.ThreadMode\\.SEPARATE_THREAD\\)\\s*\\n(@.*\\n)*(public |final )*class \\w+IT\\b");

    static boolean hasClassTimeout(String source) {
        return CLASS_TIMEOUT.matcher(source).find();
    }

    @Test
    void everyIntegrationTestClassHasATimeout() throws Exception {
        List<String> without = new ArrayList<>();
        int count = 0;
        for (String module : List.of("controller", "hyprctl", "api-types")) {
            Path tests = ROOT.resolve(module).resolve("src/test/java");
            if (!Files.isDirectory(tests)) {
                continue;
            }
            try (var files = Files.walk(tests)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith("IT.java")).toList()) {
                    count++;
                    if (!hasClassTimeout(Files.readString(f))) {
                        without.add(ROOT.relativize(f).toString());
                    }
                }
            }
        }
        assertTrue(count > 10, "found only " + count + " *IT classes under " + ROOT);
        assertEquals(List.of(), without, "add @Timeout(value = N, unit = TimeUnit.MINUTES, threadMode = "
                + "Timeout.ThreadMode.SEPARATE_THREAD) above the class");
    }

    @Test
    void theCheckRecognisesAMissingTimeout() {
        assertTrue(hasClassTimeout("/** doc */\n@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)\n"
                + "@TestInstance(TestInstance.Lifecycle.PER_CLASS)\nclass FooIT {\n"));
        assertTrue(!hasClassTimeout("@TestInstance(TestInstance.Lifecycle.PER_CLASS)\nclass FooIT {\n    @Timeout(5)\n    void t() {}\n}"));
        assertTrue(!hasClassTimeout("@Timeout(5)\nclass FooIT {\n"), "a timeout that only interrupts does not count");
    }
}
