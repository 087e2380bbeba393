package dev.hypr.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One decoded object document and where each of its nodes came from.
 * Positions are keyed by JSON pointer ("/spec/ports/0/hostPort"); the document itself is "".
 */
public final class Manifest {
    private final ObjectNode object;
    private final SourcePosition position;
    private final Map<String, SourcePosition> valuePositions;
    private final Map<String, SourcePosition> keyPositions;

    /** A manifest without node positions (e.g. an object that came from the store, not a file). */
    public Manifest(ObjectNode object, SourcePosition position) {
        this(object, position, Map.of(), Map.of());
    }

    public Manifest(ObjectNode object, SourcePosition position,
                    Map<String, SourcePosition> valuePositions, Map<String, SourcePosition> keyPositions) {
        this.object = object;
        this.position = position;
        this.valuePositions = Map.copyOf(valuePositions);
        this.keyPositions = Map.copyOf(keyPositions);
    }

    public ObjectNode object() {
        return object;
    }

    /** Where the document starts. */
    public SourcePosition position() {
        return position;
    }

    /** Position of the node at a JSON pointer ("/spec/ports/0/hostPort"), or the nearest ancestor's. */
    public SourcePosition positionOf(String jsonPointer) {
        for (String p = jsonPointer; ; p = JsonPointers.parent(p)) {
            SourcePosition found = valuePositions.get(p);
            if (found != null) {
                return found;
            }
            if (p.isEmpty()) {
                return position;
            }
        }
    }

    /**
     * Position of the mapping key that names the node at a pointer (where an unknown field is
     * best shown), falling back to {@link #positionOf(String)}.
     */
    public SourcePosition keyPositionOf(String jsonPointer) {
        SourcePosition key = keyPositions.get(jsonPointer);
        return key != null ? key : positionOf(jsonPointer);
    }

    public String kind() {
        return object.path("kind").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }

    /** "VM/web", as error messages and apply output name objects. */
    public String ref() {
        return kind() + "/" + name();
    }

    /** An error about a field of this object, placed at that field's value. */
    public ManifestError errorAt(String jsonPointer, String message) {
        return new ManifestError(positionOf(jsonPointer), ref(), JsonPointers.toFieldPath(jsonPointer), message);
    }

    /** An error about a field of this object, placed at the key that names it. */
    public ManifestError errorAtKey(String jsonPointer, String message) {
        return new ManifestError(keyPositionOf(jsonPointer), ref(), JsonPointers.toFieldPath(jsonPointer), message);
    }

    @Override
    public String toString() {
        return ref() + " at " + position;
    }
}
