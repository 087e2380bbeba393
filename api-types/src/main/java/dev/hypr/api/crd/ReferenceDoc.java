package dev.hypr.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Renders docs/reference/objects.md from the CRDs, so the reference cannot drift from the schema. */
public final class ReferenceDoc {
    private ReferenceDoc() {
    }

    public static String render(CrdCatalog catalog) {
        StringBuilder md = new StringBuilder("""
                # Object reference (hypr.dev/v1alpha1)

                Generated from `crds/*.yaml` and `api-types/src/main/resources/schemas/object-meta.yaml`
                by `ReferenceDoc`; `ReferenceDocTest` fails when this file is stale (regenerate with
                `mvn -pl api-types test -Dtest=ReferenceDocTest -Dhypr.updateDocs=true`).

                Unknown fields are errors everywhere except inside `status`. `metadata` is described here
                although real Kubernetes CRDs may not describe it: hypr validates it locally, and the CRDs
                keep `metadata: {type: object}` so that they install on a real cluster.

                """);
        Crd any = catalog.all().iterator().next();
        md.append("## metadata (every kind)\n\n");
        table(md, any.objectSchema().path("properties").path("metadata"), "metadata");
        for (Crd crd : catalog.all()) {
            md.append("## ").append(crd.kind().kindName()).append("\n\n")
                    .append(crd.openApiSchema().path("description").asText()).append("\n\n")
                    .append("Plural `").append(crd.kind().plural()).append('`');
            if (!crd.kind().shortNames().isEmpty()) {
                md.append(", short names `").append(String.join("`, `", crd.kind().shortNames())).append('`');
            }
            md.append(".\n\n### spec\n\n");
            table(md, crd.specSchema(), "spec");
            md.append("### status\n\n");
            table(md, crd.statusSchema(), "status");
        }
        return md.toString();
    }

    private static void table(StringBuilder md, JsonNode schema, String root) {
        List<String[]> rows = new ArrayList<>();
        rows(schema, root, rows);
        md.append("| field | type | default | description |\n|---|---|---|---|\n");
        for (String[] row : rows) {
            md.append("| `").append(row[0]).append("` | ").append(row[1]).append(" | ").append(row[2])
                    .append(" | ").append(row[3]).append(" |\n");
        }
        md.append('\n');
    }

    private static void rows(JsonNode schema, String path, List<String[]> rows) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").fields().forEachRemaining(p -> {
            JsonNode field = p.getValue();
            String fieldPath = path + "." + p.getKey();
            String description = field.path("description").asText("").replace("|", "\\|")
                    + (required.contains(p.getKey()) ? " **Required.**" : "");
            rows.add(new String[] {fieldPath, type(field), field.has("default") ? "`" + field.get("default") + "`" : "",
                    description.trim()});
            JsonNode nested = field.path("type").asText().equals("array") ? field.path("items") : field;
            rows(nested, fieldPath + (nested == field ? "" : "[]"), rows);
        });
    }

    private static String type(JsonNode field) {
        String type = field.path("type").asText();
        if (type.equals("array")) {
            type = "[]" + field.path("items").path("type").asText();
        } else if (field.path("additionalProperties").isObject()) {
            type = "map[string]" + field.path("additionalProperties").path("type").asText();
        }
        List<String> limits = new ArrayList<>();
        field.path("enum").forEach(e -> limits.add(e.asText()));
        String enumText = limits.isEmpty() ? "" : " (" + String.join(" \\| ", limits) + ")";
        String range = field.has("minimum") || field.has("maximum")
                ? " " + field.path("minimum").asText("") + ".." + field.path("maximum").asText("") : "";
        return type + enumText + range;
    }
}
