package dev.hypr.api.codec;

/** A place in a manifest file; lines and columns start at 1. */
public record SourcePosition(String source, int line, int column) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
