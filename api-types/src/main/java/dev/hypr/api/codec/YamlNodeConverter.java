package dev.hypr.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Converts one composed YAML document into a Jackson tree, recording the start of every value
 * and of every mapping key by JSON pointer. One instance per document.
 */
final class YamlNodeConverter {
    /**
     * Aliases can make a small document expand enormously (the "billion laughs"); SnakeYAML bounds
     * the number of aliases, this bounds what they expand to.
     */
    static final int MAX_EXPANDED_NODES = 1_000_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String source;
    private final Map<Tag, ConstructNode> scalarConstructors;
    private final Map<String, SourcePosition> valuePositions = new HashMap<>();
    private final Map<String, SourcePosition> keyPositions = new HashMap<>();
    private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    private int expanded;

    YamlNodeConverter(String source, Map<Tag, ConstructNode> scalarConstructors) {
        this.source = source;
        this.scalarConstructors = scalarConstructors;
    }

    /** The document as a Manifest; a document that is not a mapping is an error. */
    Manifest toManifest(Node document, int documentNumber) {
        if (!(document instanceof MappingNode)) {
            throw new ManifestFormatException(position(document), "document " + documentNumber + " is a "
                    + describe(document) + ", expected an object (a mapping with apiVersion, kind, metadata, spec)");
        }
        ObjectNode object = (ObjectNode) convert(document, "");
        return new Manifest(object, position(document), valuePositions, keyPositions);
    }

    private JsonNode convert(Node node, String pointer) {
        if (++expanded > MAX_EXPANDED_NODES) {
            throw new ManifestFormatException(position(node),
                    "document expands to more than " + MAX_EXPANDED_NODES + " nodes (too many aliases?)");
        }
        valuePositions.putIfAbsent(pointer, position(node));
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (!onPath.add(node)) {
            throw new ManifestFormatException(position(node), "recursive alias: a node cannot contain itself");
        }
        try {
            return node instanceof MappingNode mapping ? mapping(mapping, pointer) : sequence((SequenceNode) node, pointer);
        } finally {
            onPath.remove(node);
        }
    }

    private ObjectNode mapping(MappingNode mapping, String pointer) {
        ObjectNode object = NODES.objectNode();
        for (NodeTuple entry : mapping.getValue()) {
            String key = keyText(entry.getKeyNode());
            String child = JsonPointers.child(pointer, key);
            if (object.has(key)) {
                throw new ManifestFormatException(position(entry.getKeyNode()), "duplicate key \"" + key
                        + "\" (first at line " + keyPositions.get(child).line() + ")");
            }
            keyPositions.put(child, position(entry.getKeyNode()));
            object.set(key, convert(entry.getValueNode(), child));
        }
        return object;
    }

    private ArrayNode sequence(SequenceNode sequence, String pointer) {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        for (Node item : sequence.getValue()) {
            array.add(convert(item, JsonPointers.child(pointer, index++)));
        }
        return array;
    }

    /** JSON has only string keys; a scalar key is used as written (so {@code 80: x} has key "80"). */
    private String keyText(Node key) {
        if (key instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new ManifestFormatException(position(key), "a " + describe(key) + " cannot be a mapping key");
    }

    /** YAML 1.2 core schema typing, done by SnakeYAML's own constructors for the resolved tag. */
    private JsonNode scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (Tag.STR.equals(tag)) {
            return NODES.textNode(scalar.getValue());
        }
        ConstructNode constructor = scalarConstructors.get(tag);
        if (constructor == null) {
            throw new ManifestFormatException(position(scalar), "unsupported tag " + tag.getValue()
                    + " (only plain YAML values: strings, numbers, booleans, null)");
        }
        Object value;
        try {
            value = constructor.construct(scalar);
        } catch (RuntimeException e) {
            throw new ManifestFormatException(position(scalar), "invalid " + tag.getValue() + " value \""
                    + scalar.getValue() + "\"");
        }
        return YamlScalars.toJson(value);
    }


    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        ScalarNode scalar = (ScalarNode) node;
        return Tag.NULL.equals(scalar.getTag()) ? "null value" : "scalar value \"" + abbreviate(scalar.getValue()) + "\"";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private SourcePosition position(Node node) {
        return node.getStartMark()
                .map(m -> new SourcePosition(source, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourcePosition(source, 1, 1));
    }
}
