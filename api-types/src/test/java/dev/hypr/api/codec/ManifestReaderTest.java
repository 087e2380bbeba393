package dev.hypr.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    private static final String VM = """
            apiVersion: hypr.dev/v1alpha1
            kind: VM
            metadata:
              name: web
            spec:
              image: nginx
              ports:
                - guestPort: 80
                  hostPort: 8080
                - guestPort: 443
            """;

    static ReadResult read(String text) {
        return ManifestReader.read("f.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    static Manifest single(String text) {
        ReadResult r = read(text);
        assertEquals(List.of(), r.errors());
        assertEquals(1, r.manifests().size());
        return r.manifests().get(0);
    }

    static String onlyError(ReadResult r) {
        assertEquals(1, r.errors().size(), () -> r.errors().toString());
        return r.errors().get(0).format();
    }

    @Test
    void recordsLineAndColumnOfNestedFieldsAndListItems() {
        Manifest m = single(VM);
        assertEquals("VM/web", m.ref());
        assertEquals(new SourcePosition("f.yaml", 1, 1), m.position());
        assertEquals(new SourcePosition("f.yaml", 4, 9), m.positionOf("/metadata/name"));
        assertEquals(new SourcePosition("f.yaml", 8, 7), m.positionOf("/spec/ports/0"));
        assertEquals(new SourcePosition("f.yaml", 9, 17), m.positionOf("/spec/ports/0/hostPort"));
        assertEquals(new SourcePosition("f.yaml", 9, 7), m.keyPositionOf("/spec/ports/0/hostPort"));
        assertEquals(new SourcePosition("f.yaml", 10, 18), m.positionOf("/spec/ports/1/guestPort"));
    }

    @Test
    void positionOfMissingNodeIsNearestAncestors() {
        Manifest m = single(VM);
        assertEquals(m.positionOf("/spec/ports/1"), m.positionOf("/spec/ports/1/hostPort"));
        assertEquals(m.positionOf("/spec"), m.positionOf("/spec/cpus"));
        assertEquals(m.position(), m.positionOf("/nothing"));
    }

    @Test
    void multiDocumentPositionsAreRelativeToTheFileAndEmptyDocumentsAreSkipped() {
        ReadResult r = read(VM + "---\n---\n# only a comment\n---\n" + VM.replace("web", "db"));
        assertTrue(r.ok());
        assertEquals(List.of("VM/web", "VM/db"), r.manifests().stream().map(Manifest::ref).toList());
        assertEquals(15, r.manifests().get(1).position().line());
        assertEquals(18, r.manifests().get(1).positionOf("/metadata/name").line());
    }

    @Test
    void scalarsFollowTheYaml12CoreSchema() {
        Manifest m = single("""
                kind: VM
                a: 42
                b: "42"
                c: 0x10
                d: 1.5
                e: true
                f: yes
                g: null
                h: ~
                i: 'true'
                j: 12345678901234567890
                """);
        JsonNode o = m.object();
        assertTrue(o.get("a").isInt());
        assertTrue(o.get("b").isTextual());
        assertEquals(16, o.get("c").asInt());
        assertTrue(o.get("d").isDouble());
        assertTrue(o.get("e").isBoolean());
        assertEquals("yes", o.get("f").textValue(), "YAML 1.1 booleans are strings in 1.2");
        assertTrue(o.get("g").isNull());
        assertTrue(o.get("h").isNull());
        assertEquals("true", o.get("i").textValue());
        assertTrue(o.get("j").isBigInteger());
    }

    @Test
    void syntaxErrorPointsAtTheProblem() {
        String e = onlyError(read("kind: VM\nmetadata:\n  name: [web\nspec: {}\n"));
        assertEquals("f.yaml:4:5: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence)", e);
    }

    @Test
    void badIndentationIsASyntaxErrorWithPosition() {
        assertEquals("f.yaml:2:9: YAML syntax error: mapping values are not allowed here",
                onlyError(read("kind: VM\n    name: x\n  spec: 1\n")));
    }

    @Test
    void emptyFileHasNoObjects() {
        assertEquals("f.yaml:1:1: no objects (the file is empty or holds only comments)", onlyError(read("")));
        assertEquals("f.yaml:1:1: no objects (the file is empty or holds only comments)",
                onlyError(read("# nothing\n---\n---\n")));
    }

    @Test
    void documentThatIsNotAMappingIsRejected() {
        assertEquals("f.yaml:3:1: document 2 is a list, expected an object (a mapping with apiVersion, kind,"
                + " metadata, spec)", onlyError(read("kind: VM\n---\n- a\n- b\n")));
        assertTrue(onlyError(read("just text\n")).contains("document 1 is a scalar value \"just text\""));
    }

    @Test
    void duplicateKeysAreRejectedAtTheSecondKey() {
        assertEquals("f.yaml:4:3: duplicate key \"name\" (first at line 3)",
                onlyError(read("kind: VM\nmetadata:\n  name: a\n  name: b\n")));
    }

    @Test
    void binaryGarbageIsRejectedWithoutAStackTrace() {
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
        assertEquals("bin.yaml:1:1: control character U+007F is not allowed in YAML; is this a binary file?",
                onlyError(ManifestReader.read("bin.yaml", elf)));
    }

    @Test
    void invalidUtf8IsRejectedWithItsPosition() {
        byte[] bytes = "kind: VM\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("f.yaml:2:10: not valid UTF-8 text (byte 0xe9 at offset 18); is this a binary file?",
                onlyError(ManifestReader.read("f.yaml", bytes)));
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() {
        byte[] text = "kind: VM\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertEquals("VM", ManifestReader.read("f.yaml", withBom).manifests().get(0).kind());
    }

    @Test
    void tenMegabyteDocumentIsReadQuickly() {
        String big = "kind: VM\nmetadata:\n  annotations:\n    blob: " + "x".repeat(10 * 1024 * 1024) + "\n";
        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> single(big));
        assertEquals(10 * 1024 * 1024, m.object().at("/metadata/annotations/blob").textValue().length());
    }

    @Test
    void tenMegabytesOfSmallNodesIsReadQuickly() {
        String items = "  - {name: VARIABLE_NUMBER, value: some-value-of-forty-characters-0123456}\n".repeat(140_000);
        Manifest m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> single("kind: VM\nenv:\n" + items));
        assertEquals(140_000, m.object().get("env").size());
        assertEquals(new SourcePosition("f.yaml", 140_002, 5), m.positionOf("/env/139999"));
    }

    @Test
    void filesOverThe32MiBLimitAreRefused() {
        byte[] huge = new byte[32 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertEquals("f.yaml:1:1: file is 32 MiB, larger than the 32 MiB limit for manifests",
                onlyError(ManifestReader.read("f.yaml", huge)));
    }

    @Test
    void anchorsAndAliasesAreExpanded() {
        Manifest m = single("kind: VM\nbase: &env [{name: A, value: b}]\ncopy: *env\n");
        assertEquals(m.object().get("base"), m.object().get("copy"));
        assertEquals(2, m.positionOf("/copy").line(), "SnakeYAML shares the anchored node, so an alias reports the anchor's place");
    }

    @Test
    void billionLaughsIsBounded() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*" + prev))).append("]\n");
        }
        ReadResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> read(y.toString()));
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("alias"), r.errors().get(0).format());
    }

    @Test
    void jsonIsReadWithPositionsEvenWhenIndentedWithTabs() {
        String json = "{\n\t\"apiVersion\": \"hypr.dev/v1alpha1\",\n\t\"kind\": \"VM\",\n\t\"metadata\": {\"name\": \"web\"},\n"
                + "\t\"spec\": {\"cpus\": 2}\n}\n";
        Manifest m = ManifestReader.read("vm.json", json.getBytes(StandardCharsets.UTF_8)).manifests().get(0);
        assertEquals("VM/web", m.ref());
        assertEquals(new SourcePosition("vm.json", 5, 19), m.positionOf("/spec/cpus"));
    }

    @Test
    void unsupportedTagsAreRejected() {
        assertEquals("f.yaml:1:7: unsupported tag !custom (only plain YAML values: strings, numbers, booleans, null)",
                onlyError(read("kind: !custom VM\n")));
    }

    @Test
    void directoryIsReadInSortedOrderAndRecursivelyOnlyWhenAsked(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.yaml"), "kind: B\n");
        Files.writeString(dir.resolve("a.json"), "{\"kind\": \"A\"}");
        Files.writeString(dir.resolve("empty.yml"), "");
        Files.writeString(dir.resolve("notes.txt"), "kind: ignored\n");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/c.yaml"), "kind: C\n");

        assertEquals(List.of("A", "B"), kinds(ManifestReader.readPath(dir, false)));
        assertEquals(List.of("A", "B", "C"), kinds(ManifestReader.readPath(dir, true)));
    }

    @Test
    void emptyDirectoryAndMissingFileAreErrors(@TempDir Path dir) {
        assertTrue(onlyError(ManifestReader.readPath(dir, false)).endsWith(": no objects (no *.yaml, *.yml or *.json file holds one)"));
        assertEquals(dir.resolve("nope.yaml") + ":1:1: no such file or directory",
                onlyError(ManifestReader.readPath(dir.resolve("nope.yaml"), false)));
    }

    private static List<String> kinds(ReadResult r) {
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.manifests().stream().map(Manifest::kind).toList();
    }
}
