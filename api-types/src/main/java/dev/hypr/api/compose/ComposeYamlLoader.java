package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses one compose file into {@link YNode}s with YAML 1.2 core-schema typing (so {@code no}
 * and {@code 22:22} stay strings), anchors expanded and {@code <<} merge keys applied, which
 * SnakeYAML Engine leaves to the caller.
 */
final class ComposeYamlLoader {
    /**
     * Aliases may expand a small file enormously; instead of SnakeYAML's count of aliases (real
     * files use over a hundred) the size of the expanded document is bounded.
     */
    static final int MAX_EXPANDED_NODES = 1_000_000;
    static final String MERGE_KEY = "<<";
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private static final CoreSchema SCHEMA = new CoreSchema();
    private static final Set<String> COMPOSE_TAGS = Set.of("!reset", "!override");

    private final String source;
    private final Map<Tag, ConstructNode> constructors = SCHEMA.getSchemaTagConstructors();
    private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    private int expanded;

    private ComposeYamlLoader(String source) {
        this.source = source;
    }

    /** The file's single document; an empty file is an empty mapping. */
    static YMap load(String source, byte[] content) {
        return new ComposeYamlLoader(source).loadDocument(content);
    }

    private YMap loadDocument(byte[] content) {
        SourcePosition start = new SourcePosition(source, 1, 1);
        Node document;
        try {
            String text = decode(content);
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(source)
                    .setSchema(SCHEMA)
                    .setAllowDuplicateKeys(false)
                    .setAllowRecursiveKeys(false)
                    .setMaxAliasesForCollections(Integer.MAX_VALUE)
                    .setBufferSize(Math.max(1024, text.length() + 1))
                    .build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            if (!composer.hasNext()) {
                return new YMap(Map.of(), Map.of(), start, null);
            }
            document = composer.next();
            if (composer.hasNext()) {
                throw new ComposeException(position(composer.next()), "", "a compose file holds one YAML document, this one has more");
            }
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            SourcePosition at = mark == null ? start : new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
            throw new ComposeException(at, "", "YAML syntax error: " + (e.getProblem() == null ? e.getMessage() : e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ComposeException(start, "", "invalid YAML: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ComposeException(start, "", e.getMessage());
        }
        if (document instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag())) {
            return new YMap(Map.of(), Map.of(), start, null);
        }
        YNode root = convert(document);
        if (!(root instanceof YMap map)) {
            throw new ComposeException(root.position(), "", "a compose file is a mapping (services:, volumes:, ...), this one is a "
                    + describe(root));
        }
        return map;
    }

    private YNode convert(Node node) {
        if (++expanded > MAX_EXPANDED_NODES) {
            throw new ComposeException(position(node), "", "the file expands to more than " + MAX_EXPANDED_NODES
                    + " values (too many aliases?)");
        }
        String tag = COMPOSE_TAGS.contains(node.getTag().getValue()) ? node.getTag().getValue() : null;
        if (node instanceof ScalarNode scalar) {
            return new YScalar(scalarValue(scalar, tag != null), position(node), tag);
        }
        if (!onPath.add(node)) {
            throw new ComposeException(position(node), "", "recursive alias: a value cannot contain itself");
        }
        try {
            if (node instanceof SequenceNode sequence) {
                List<YNode> items = new ArrayList<>();
                sequence.getValue().forEach(item -> items.add(convert(item)));
                return new YList(items, position(node), tag);
            }
            return mapping((MappingNode) node, tag);
        } finally {
            onPath.remove(node);
        }
    }

    /** Own keys first; then each merged mapping adds only keys not yet present (earlier sources win). */
    private YMap mapping(MappingNode mapping, String tag) {
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, SourcePosition> keys = new LinkedHashMap<>();
        List<YMap> merged = new ArrayList<>();
        for (NodeTuple entry : mapping.getValue()) {
            Node keyNode = entry.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw new ComposeException(position(keyNode), "", "a mapping key must be a plain value, not a " + describe(convert(keyNode)));
            }
            if (MERGE_KEY.equals(keyScalar.getValue()) && keyScalar.isPlain()) {
                merged.addAll(mergeSources(entry.getValueNode()));
                continue;
            }
            String key = keyScalar.getValue();
            if (entries.containsKey(key)) {
                throw new ComposeException(position(keyNode), "", "duplicate key \"" + key + "\" (first at line " + keys.get(key).line() + ")");
            }
            keys.put(key, position(keyNode));
            entries.put(key, convert(entry.getValueNode()));
        }
        for (YMap source : merged) {
            source.entries().forEach((key, value) -> {
                if (!entries.containsKey(key)) {
                    entries.put(key, value);
                    keys.put(key, source.keyPosition(key));
                }
            });
        }
        return new YMap(entries, keys, position(mapping), tag);
    }

    private List<YMap> mergeSources(Node value) {
        List<YMap> sources = new ArrayList<>();
        List<Node> nodes = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        for (Node n : nodes) {
            if (!(convert(n) instanceof YMap map)) {
                throw new ComposeException(position(n), "", "a merge key (<<) takes a mapping or a list of mappings");
            }
            sources.add(map);
        }
        return sources;
    }

    private Object scalarValue(ScalarNode scalar, boolean composeTag) {
        Tag tag = scalar.getTag();
        if (composeTag) {
            // !reset/!override replace the type tag: type the text as if it carried none.
            tag = scalar.isPlain() ? SCHEMA.getScalarResolver().resolve(scalar.getValue(), true) : Tag.STR;
        }
        if (Tag.STR.equals(tag) || Tag.ENV_TAG.equals(tag)) {
            // ENV_TAG: SnakeYAML's own ${VAR} resolution; compose interpolates later, so it is text here.
            return scalar.getValue();
        }
        ConstructNode constructor = constructors.get(tag);
        if (constructor == null || !Set.of(Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL).contains(tag)) {
            throw new ComposeException(position(scalar), "", "unsupported YAML tag " + tag.getValue());
        }
        Object value;
        try {
            value = constructor.construct(new ScalarNode(tag, scalar.getValue(), scalar.getScalarStyle()));
        } catch (RuntimeException e) {
            throw new ComposeException(position(scalar), "", "invalid " + tag.getValue() + " value \"" + scalar.getValue() + "\"");
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof BigInteger || value instanceof Long || value instanceof Double || value instanceof Boolean || value == null) {
            return value;
        }
        return value.toString();
    }

    /** Strict UTF-8 (a BOM is skipped); compose files are small, so a size limit keeps memory bounded. */
    private String decode(byte[] content) {
        if (content.length > MAX_FILE_BYTES) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "file is larger than the 4 MiB limit for compose files");
        }
        int offset = content.length >= 3 && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB && (content[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(content, offset, content.length - offset)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ComposeException(new SourcePosition(source, 1, 1), "", "not valid UTF-8 text; is this a binary file?");
        }
    }

    static String describe(YNode node) {
        if (node instanceof YMap) {
            return "mapping";
        }
        if (node instanceof YList) {
            return "list";
        }
        return ((YScalar) node).isNull() ? "null value" : "scalar \"" + ((YScalar) node).text() + "\"";
    }

    private SourcePosition position(Node node) {
        return node.getStartMark()
                .map(m -> new SourcePosition(source, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourcePosition(source, 1, 1));
    }
}
