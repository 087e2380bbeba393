package dev.hypr.api.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRDs must install on a real API server: structural schemas, names matching {@link Kind}. */
class CrdStructureTest {
    private final CrdCatalog catalog = CrdCatalog.standard();

    @Test
    void everyKindHasACrdWithMatchingNames() {
        for (Kind kind : Kind.values()) {
            Crd crd = catalog.crd(kind);
            assertEquals("apiextensions.k8s.io/v1", crd.definition().path("apiVersion").asText());
            assertEquals("CustomResourceDefinition", crd.definition().path("kind").asText());
            assertEquals(kind.plural() + "." + Kind.GROUP, crd.name());
            assertEquals(Kind.GROUP, crd.group());
            assertEquals("Cluster", crd.definition().at("/spec/scope").asText());
            assertEquals(kind.kindName(), crd.names().path("kind").asText());
            assertEquals(kind.plural(), crd.names().path("plural").asText());
            assertEquals(kind.singular(), crd.names().path("singular").asText());
            List<String> shortNames = new ArrayList<>();
            crd.names().path("shortNames").forEach(n -> shortNames.add(n.asText()));
            assertTrue(kind.shortNames().containsAll(shortNames), kind + " shortNames " + shortNames);
            assertEquals(Kind.VERSION, crd.version().path("name").asText());
            assertTrue(crd.version().path("served").asBoolean() && crd.version().path("storage").asBoolean());
            assertTrue(crd.version().at("/subresources/status").isObject());
            assertTrue(crd.version().path("additionalPrinterColumns").size() > 0);
        }
    }

    @Test
    void schemasAreStructural() {
        for (Crd crd : catalog.all()) {
            List<String> problems = new ArrayList<>();
            checkStructural(crd.openApiSchema(), crd.kind().kindName(), problems);
            checkStructural(crd.objectSchema().path("properties").path("metadata"), "metadata", problems);
            assertEquals(List.of(), problems, crd.name());
        }
    }

    @Test
    void metadataIsOnlyDescribedOutsideTheCrd() {
        for (Crd crd : catalog.all()) {
            assertEquals(1, crd.openApiSchema().at("/properties/metadata").size(), "metadata must stay {type: object}");
        }
    }

    @Test
    void statusKeepsFieldsControllersAdd() {
        for (Crd crd : catalog.all()) {
            assertTrue(crd.statusSchema().path("x-kubernetes-preserve-unknown-fields").asBoolean(), crd.name());
        }
    }

    /** Every node has a type (or an explicit escape), required names exist, no additionalProperties:false. */
    private static void checkStructural(JsonNode schema, String path, List<String> problems) {
        boolean escape = schema.path("x-kubernetes-int-or-string").asBoolean()
                || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        if (!schema.has("type") && !escape) {
            problems.add(path + ": no type");
        }
        if (schema.path("additionalProperties").isBoolean()) {
            problems.add(path + ": additionalProperties must be a schema in a structural CRD");
        }
        JsonNode properties = schema.path("properties");
        schema.path("required").forEach(r -> {
            if (!properties.has(r.asText())) {
                problems.add(path + ": required field " + r.asText() + " is not a property");
            }
        });
        if (schema.has("default") && schema.path("type").asText().equals("object")) {
            problems.add(path + ": object defaults are not applied field by field; default the leaves");
        }
        properties.fields().forEachRemaining(p -> checkStructural(p.getValue(), path + "." + p.getKey(), problems));
        if (schema.has("items")) {
            checkStructural(schema.get("items"), path + "[]", problems);
        }
        if (schema.path("additionalProperties").isObject()) {
            checkStructural(schema.get("additionalProperties"), path + "{}", problems);
        }
    }
}
