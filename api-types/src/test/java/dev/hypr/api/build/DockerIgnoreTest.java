package dev.hypr.api.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cases from moby/patternmatcher's tests and the .dockerignore reference. */
class DockerIgnoreTest {
    private static boolean excluded(String patterns, String path) {
        return DockerIgnore.parse(patterns).excludes(path);
    }

    @Test
    void goFilepathMatchSyntax() {
        assertTrue(excluded("*.md", "README.md"));
        assertFalse(excluded("*.md", "docs/README.md"), "* does not cross /");
        assertTrue(excluded("*/temp*", "somedir/temporary.txt"));
        assertFalse(excluded("*/temp*", "somedir/sub/temporary.txt"));
        assertTrue(excluded("*/*/temp*", "somedir/subdir/temporary.txt"));
        assertTrue(excluded("temp?", "temp1"));
        assertFalse(excluded("temp?", "temp12"));
        assertTrue(excluded("file[0-9].txt", "file3.txt"));
        assertFalse(excluded("file[^0-9].txt", "file3.txt"));
        assertTrue(excluded("a\\*b", "a*b"));
        assertFalse(excluded("a\\*b", "axb"));
        assertTrue(excluded("a.b", "a.b"));
        assertFalse(excluded("a.b", "axb"), "a dot is literal");
    }

    @Test
    void doubleStar() {
        assertTrue(excluded("**/*.go", "a/b/c.go"));
        assertTrue(excluded("**/*.go", "c.go"), "**/ matches zero directories");
        assertTrue(excluded("a/**/b", "a/b"));
        assertTrue(excluded("a/**/b", "a/x/y/b"));
        assertTrue(excluded("a/**", "a/x/y"));
        assertTrue(excluded("**", "anything/at/all"));
        assertFalse(excluded("a/**/b", "x/a/b"));
    }

    @Test
    void directoryExcludesItsContents() {
        assertTrue(excluded("node_modules", "node_modules/pkg/index.js"));
        assertTrue(excluded("/build", "build/out.o"), "a leading / is dropped");
        assertTrue(excluded("./tmp/../cache", "cache/x"), "patterns are cleaned");
        assertFalse(excluded("build", "src/build"), "patterns are anchored at the context root");
    }

    @Test
    void lastMatchWinsAndBangReIncludes() {
        String p = "*.md\n!README*.md\nREADME-secret.md\n";
        assertTrue(excluded(p, "CHANGES.md"));
        assertFalse(excluded(p, "README.md"));
        assertTrue(excluded(p, "README-secret.md"));
        String dirs = "docs\n!docs/keep.txt\n";
        assertTrue(excluded(dirs, "docs/other.txt"));
        assertFalse(excluded(dirs, "docs/keep.txt"));
        assertTrue(excluded(dirs, "docs"), "the directory itself stays excluded; the walker adds it back as a parent");
        String all = "*\n!src\n";
        assertFalse(excluded(all, "src/main.c"), "a re-included directory brings its contents");
        assertTrue(excluded(all, "Makefile"));
    }

    @Test
    void commentsBlanksAndWhitespace() {
        DockerIgnore d = DockerIgnore.parse("# comment\n\n   secret.txt   \n! keep.txt\n#*.txt\n");
        assertTrue(d.excludes("secret.txt"));
        assertFalse(d.excludes("keep.txt"));
        assertFalse(d.excludes("other.txt"));
        assertTrue(d.hasExclusions());
        assertEquals(".", DockerIgnore.clean("./"));
    }
}
