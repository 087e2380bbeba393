package dev.hypr.controller.api;

import dev.hypr.api.codec.SourcePosition;

/** Reads back the "file:line:col" a client sends with each object. */
final class SourcePositions {
    private SourcePositions() {
    }

    static SourcePosition parse(String source) {
        int lastColon = source.lastIndexOf(':');
        int prevColon = lastColon > 0 ? source.lastIndexOf(':', lastColon - 1) : -1;
        if (prevColon > 0) {
            try {
                int line = Integer.parseInt(source.substring(prevColon + 1, lastColon));
                int col = Integer.parseInt(source.substring(lastColon + 1));
                return new SourcePosition(source.substring(0, prevColon), line, col);
            } catch (NumberFormatException ignored) {
                // not a position suffix: the whole string names the source
            }
        }
        return new SourcePosition(source, 1, 1);
    }
}
