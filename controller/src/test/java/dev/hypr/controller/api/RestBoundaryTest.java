package dev.hypr.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RestBoundaryTest {

    @Test
    void onlyLoopbackNamesPassAsHost() {
        for (String ok : new String[] {"localhost", "LOCALHOST:41001", "127.0.0.1", "127.0.0.1:41001", "[::1]", "[::1]:8080"}) {
            assertTrue(RestAccessFilter.isLoopbackHost(ok), ok);
        }
        for (String bad : new String[] {"evil.example", "evil.example:41001", "localhost.evil.example", "127.0.0.1.nip.io",
                "10.0.0.1", "[::2]", "localhost:", "localhost:41001x", "", "0.0.0.0:41001"}) {
            assertFalse(RestAccessFilter.isLoopbackHost(bad), bad);
        }
        assertFalse(RestAccessFilter.isLoopbackHost(null));
    }

    @Test
    void envValuesAnywhereAndUrlCredentialsAreRedacted() {
        ObjectNode stack = Json.parseObject("""
                {"kind":"Stack","metadata":{"name":"s","labels":{"value":"keep"}},
                 "spec":{"env":[{"name":"A","value":"secret-a"},{"name":"B"}],
                         "vms":[{"name":"web","env":[{"name":"C","value":"secret-c"}]}],
                         "source":{"git":{"url":"https://user:tok3n@git.example/r.git"}}}}""");
        ObjectNode shown = Redaction.redact(stack);
        String text = Json.write(shown);
        assertFalse(text.contains("secret-a") || text.contains("secret-c") || text.contains("tok3n"), text);
        assertEquals("<redacted>", shown.at("/spec/env/0/value").asText());
        assertTrue(shown.at("/spec/env/1").has("name") && !shown.at("/spec/env/1").has("value"), "no value stays no value");
        assertEquals("<redacted>", shown.at("/spec/vms/0/env/0/value").asText());
        assertEquals("https://<redacted>@git.example/r.git", shown.at("/spec/source/git/url").asText());
        assertEquals("keep", shown.at("/metadata/labels/value").asText());
        assertEquals("secret-a", stack.at("/spec/env/0/value").asText(), "the argument is not changed");
        assertEquals("https://git.example/r.git", Redaction.withoutUserInfo("https://git.example/r.git"));
    }

    /** bin/hyprd sizes the heap from the same default the daemon enforces. */
    @Test
    void theLauncherAndTheDaemonAgreeOnTheByteLimit() throws Exception {
        Path root = Path.of(System.getProperty("hypr.root", "..")).toAbsolutePath().normalize();
        Matcher m = Pattern.compile("HYPR_STORE_MAX_BYTES:-([0-9]+[KkMmGg]?)\\}").matcher(Files.readString(root.resolve("bin/hyprd")));
        assertTrue(m.find(), "bin/hyprd reads HYPR_STORE_MAX_BYTES with a default");
        Properties app = new Properties();
        try (var in = RestBoundaryTest.class.getResourceAsStream("/application.properties")) {
            app.load(in);
        }
        assertEquals(app.getProperty("hypr.store.max-bytes"), m.group(1));
    }
}
