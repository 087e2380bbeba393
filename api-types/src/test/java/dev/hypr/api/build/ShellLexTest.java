package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cases from BuildKit's shell lexer behaviour (frontend/dockerfile/shell envVarTest). */
class ShellLexTest {
    private final ShellLex lex = new ShellLex('\\');
    private final Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "EMPTY", "", "TWO", "a b");

    private String word(String s) {
        return lex.processWord(s, env);
    }

    @Test
    void plainAndBraced() {
        assertEquals("/home", word("$PWD"));
        assertEquals("/home/x", word("${PWD}/x"));
        assertEquals("bashx", word("${SHELL}x"));
        assertEquals("", word("$UNSET"));
        assertEquals("$", word("$"));
        assertEquals("a$", word("a$"));
        assertEquals("/home.bash", word("$PWD.$SHELL"));
    }

    @Test
    void modifiers() {
        assertEquals("def", word("${UNSET:-def}"));
        assertEquals("def", word("${EMPTY:-def}"));
        assertEquals("", word("${EMPTY-def}"));
        assertEquals("def", word("${UNSET-def}"));
        assertEquals("/home", word("${PWD:-def}"));
        assertEquals("alt", word("${PWD:+alt}"));
        assertEquals("", word("${EMPTY:+alt}"));
        assertEquals("alt", word("${EMPTY+alt}"));
        assertEquals("", word("${UNSET+alt}"));
        assertEquals("x/home", word("${UNSET:-x$PWD}"), "the default itself expands");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> word("${UNSET:?must be set}"));
        assertEquals("UNSET: must be set", e.getMessage());
        assertEquals("/home", word("${PWD:?x}"));
    }

    @Test
    void quotesAndEscapes() {
        assertEquals("$PWD", word("'$PWD'"));
        assertEquals("/home", word("\"$PWD\""));
        assertEquals("$PWD", word("\\$PWD"));
        assertEquals("$PWD", word("\"\\$PWD\""));
        assertEquals("a b", word("\"a b\""));
        assertEquals("a b", word("a\\ b"));
        assertEquals("it's", word("\"it's\""));
        assertEquals("\\n", word("'\\n'"));
        assertEquals("\\n", word("\"\\n\""), "in double quotes only \\\" \\$ \\\\ are escapes");
        assertEquals("${x}", word("\\${x}"));
    }

    @Test
    void wordSplittingOnlyOutsideQuotes() {
        assertEquals(List.of("a", "b"), lex.processWords("$TWO", env));
        assertEquals(List.of("a b"), lex.processWords("\"$TWO\"", env));
        assertEquals(List.of("80", "443"), lex.processWords("80 443", env));
    }

    @Test
    void badSyntax() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> word("${PWD")).getMessage().contains("}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> word("${}")).getMessage().contains("bad substitution"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> word("'open")).getMessage().contains("single-quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> word("\"open")).getMessage().contains("double-quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> word("${PWD/a/b}")).getMessage().contains("unsupported modifier"));
    }

    @Test
    void backtickEscape() {
        ShellLex tick = new ShellLex('`');
        assertEquals("$PWD", tick.processWord("`$PWD", env));
        assertEquals("c:\\dir", tick.processWord("c:\\dir", env));
    }

    @Test
    void reportsTheVariablesItRead() {
        assertEquals(Set.of("PWD", "UNSET"), lex.process("$PWD ${UNSET:-x}", env).used());
    }
}
