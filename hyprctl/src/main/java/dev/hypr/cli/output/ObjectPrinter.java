package dev.hypr.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.cli.CliException;
import dev.hypr.cli.KindRef;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints objects in one of the {@code -o} formats. */
public final class ObjectPrinter {
    /** The {@code -o} values. */
    public enum Format {
        TABLE, WIDE, JSON, YAML, NAME;

        public static Format parse(String value) {
            if (value == null || value.isEmpty()) {
                return TABLE;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "wide" -> WIDE;
                case "json" -> JSON;
                case "yaml", "yml" -> YAML;
                case "name" -> NAME;
                default -> throw new CliException("unknown output format \"" + value
                        + "\" (allowed: wide, yaml, json, name)", 2);
            };
        }
    }

    private static final ObjectWriter PRETTY = Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private ObjectPrinter() {
    }

    public static String prettyJson(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"apiVersion":"v1","kind":"List","items":[...]}}, as kubectl wraps lists. */
    public static ObjectNode listOf(List<? extends JsonNode> items) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        return list;
    }

    public static String name(JsonNode obj) {
        return KindRef.printable(obj.path("kind").asText("")) + "/" + Fields.name(obj);
    }

    /**
     * Prints objects. {@code asList}: the user asked for a collection (a kind, not one name),
     * so JSON is a List even with one item; YAML is then a multi-document stream.
     */
    public static void print(Format format, List<? extends JsonNode> objects, boolean asList, PrintWriter out,
            Instant now) {
        switch (format) {
            case JSON -> out.println(prettyJson(asList || objects.size() != 1 ? listOf(objects) : objects.get(0)));
            case YAML -> out.print(YamlWriter.writeAll(objects));
            case NAME -> objects.forEach(o -> out.println(name(o)));
            case TABLE, WIDE -> printTables(objects, format == Format.WIDE, out, now);
        }
        out.flush();
    }

    private static void printTables(List<? extends JsonNode> objects, boolean wide, PrintWriter out, Instant now) {
        Map<Kind, List<JsonNode>> byKind = new LinkedHashMap<>();
        for (JsonNode o : objects) {
            Kind k = Kind.fromKindName(o.path("kind").asText(""))
                    .orElseThrow(() -> new CliException("hyprd sent an object of unknown kind \""
                            + o.path("kind").asText("") + "\""));
            byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(o);
        }
        boolean qualify = byKind.size() > 1;
        boolean first = true;
        for (Map.Entry<Kind, List<JsonNode>> e : byKind.entrySet()) {
            if (!first) {
                out.println();
            }
            first = false;
            table(e.getKey(), e.getValue(), wide, qualify, now).print(out, true);
        }
    }

    public static TablePrinter table(Kind kind, List<? extends JsonNode> objects, boolean wide, boolean qualifyNames,
            Instant now) {
        List<KindColumns.Column> cols = KindColumns.of(kind, wide);
        TablePrinter t = new TablePrinter(KindColumns.headers(cols));
        for (JsonNode o : objects) {
            List<String> cells = new ArrayList<>(KindColumns.cells(cols, o, now));
            if (qualifyNames) {
                cells.set(0, kind.singular() + "/" + cells.get(0));
            }
            t.row(cells);
        }
        return t;
    }
}
