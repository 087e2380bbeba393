package dev.hypr.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "hypr.dev/stack", "shop");

    private static boolean matches(String selector, Map<String, String> labels) {
        return LabelSelector.parse(selector).matches(labels);
    }

    @Test
    void equalityRequirements() {
        assertTrue(matches("app=web", WEB));
        assertTrue(matches("app==web", WEB));
        assertFalse(matches("app=db", WEB));
        assertTrue(matches("app!=db", WEB));
        assertTrue(matches("missing!=x", WEB), "!= also matches objects without the label");
        assertTrue(matches("hypr.dev/stack=shop", WEB));
    }

    @Test
    void setRequirements() {
        assertTrue(matches("tier in (front, back)", WEB));
        assertFalse(matches("tier in (back)", WEB));
        assertTrue(matches("tier notin (back)", WEB));
        assertFalse(matches("tier notin (back,front)", WEB));
    }

    @Test
    void existenceAndConjunction() {
        assertTrue(matches("app", WEB));
        assertFalse(matches("!app", WEB));
        assertTrue(matches("!db", WEB));
        assertTrue(matches("app=web, tier in (front,x), !db", WEB));
        assertFalse(matches("app=web,tier=back", WEB));
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertTrue(LabelSelector.parse("").isEmpty());
        assertTrue(matches("  ", Map.of()));
    }

    @Test
    void parseErrorsNameTheProblem() {
        assertEquals("cannot parse requirement \"app web\" (expected k=v, k!=v, k in (a,b), k notin (a,b), k or !k)",
                assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("app web")).getMessage());
        assertEquals("unbalanced parentheses in selector \"a in (x\"",
                assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("a in (x")).getMessage());
        assertEquals("empty requirement in selector (two commas in a row?)",
                assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("a=b,,c")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("-a=b")).getMessage()
                .startsWith("in \"-a=b\": key \"-a\" must be"));
    }
}
