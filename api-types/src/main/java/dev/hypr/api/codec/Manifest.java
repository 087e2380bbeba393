package dev.hypr.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One decoded object document and where it came from. (stub: replaced by the codec work) */
public final class Manifest {
    private final ObjectNode object;
    private final SourcePosition position;

    public Manifest(ObjectNode object, SourcePosition position) {
        this.object = object;
        this.position = position;
    }

    public ObjectNode object() {
        return object;
    }

    public SourcePosition position() {
        return position;
    }

    /** Position of the node at a JSON pointer ("/spec/ports/0/hostPort"), or the nearest ancestor's. */
    public SourcePosition positionOf(String jsonPointer) {
        return position;
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
}
