package dev.hypr.api.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {
    private final Map<String, String> env = Map.of("SET", "value", "EMPTY", "", "PORT", "8080");
    private final List<String> unset = new ArrayList<>();
    private final Interpolator interpolator = new Interpolator(env::get, unset::add);

    @Test
    void composeTemplateTable() {
        String[][] table = {
                {"${SET}", "value"}, {"$SET", "value"}, {"$SET/x", "value/x"}, {"a$$b", "a$b"}, {"$$SET", "$SET"},
                {"${UNSET:-d}", "d"}, {"${EMPTY:-d}", "d"}, {"${SET:-d}", "value"},
                {"${UNSET-d}", "d"}, {"${EMPTY-d}", ""},
                {"${SET:+x}", "x"}, {"${EMPTY:+x}", ""}, {"${EMPTY+x}", "x"}, {"${UNSET+x}", ""},
                {"${UNSET:-${PORT}}", "8080"}, {"${UNSET:-${ALSO_UNSET:-deep}}", "deep"}, {"${UNSET:-a}b}", "ab}"},
                {"$ 5", "$ 5"}, {"cost $5", "cost $5"}, {"${SET}${PORT}", "value8080"},
                {"${UNSET}", ""}, {"${UNSET:-}", ""},
        };
        for (String[] row : table) {
            assertEquals(row[1], interpolator.interpolate(row[0]), row[0]);
        }
        assertEquals(List.of("UNSET"), unset.stream().distinct().toList());
    }

    @Test
    void requiredVariablesFailWithTheirMessage() {
        assertEquals("required variable UNSET is missing a value: set it",
                assertThrows(Interpolator.TemplateException.class, () -> interpolator.interpolate("${UNSET:?set it}")).getMessage());
        assertEquals("required variable EMPTY is missing a value",
                assertThrows(Interpolator.TemplateException.class, () -> interpolator.interpolate("${EMPTY:?}")).getMessage());
        assertEquals("", interpolator.interpolate("${EMPTY?must be set}"));
        assertThrows(Interpolator.TemplateException.class, () -> interpolator.interpolate("${UNSET?must be set}"));
    }

    @Test
    void malformedTemplatesAreErrors() {
        for (String bad : List.of("${", "${SET", "${1}", "${SET:=x}", "${SET:-x")) {
            assertThrows(Interpolator.TemplateException.class, () -> interpolator.interpolate(bad), bad);
        }
    }

    @Test
    void dotEnvRules() {
        String text = """
                # comment
                export A=1
                B = spaced  # inline comment
                C='literal ${A} # not a comment'
                D="double ${A}\\nline"
                E=${A}-${INHERITED:-none}
                F: yaml style
                G="multi
                line"
                H=#not-a-comment
                INHERITED
                """;
        Map<String, String> parsed = DotEnv.parse(text, Map.of("INHERITED", "from-shell")::get);
        assertEquals("1", parsed.get("A"));
        assertEquals("spaced", parsed.get("B"));
        assertEquals("literal ${A} # not a comment", parsed.get("C"));
        assertEquals("double 1\nline", parsed.get("D"));
        assertEquals("1-from-shell", parsed.get("E"));
        assertEquals("yaml style", parsed.get("F"));
        assertEquals("multi\nline", parsed.get("G"));
        assertEquals("#not-a-comment", parsed.get("H"));
        assertEquals("from-shell", parsed.get("INHERITED"));
        DotEnv.DotEnvException bad = assertThrows(DotEnv.DotEnvException.class, () -> DotEnv.parse("OK=1\n9BAD=2\n", n -> null));
        assertEquals(2, bad.line);
    }
}
