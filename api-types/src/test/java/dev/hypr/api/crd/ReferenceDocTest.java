package dev.hypr.api.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReferenceDocTest {
    private static final Path DOC = Path.of(System.getProperty("hypr.root", "..")).resolve("docs/reference/objects.md");

    @Test
    void referenceIsUpToDateWithTheCrds() throws IOException {
        String expected = ReferenceDoc.render(CrdCatalog.standard());
        if (Boolean.getBoolean("hypr.updateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, expected);
        }
        assertEquals(expected, Files.readString(DOC), "docs/reference/objects.md is stale: rerun with -Dhypr.updateDocs=true");
    }

    @Test
    void everyKindAndNestedFieldIsDocumented() {
        String doc = ReferenceDoc.render(CrdCatalog.standard());
        assertTrue(doc.contains("| `spec.ports[].hostPort` | integer 1..65535 |"), doc);
        assertTrue(doc.contains("| `spec.source.git.ref` | string | `\"main\"` |"));
        assertTrue(doc.contains("## Sync"));
    }
}
