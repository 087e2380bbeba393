package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded compose value that remembers where it was written, so every later step (merging
 * files, extends, interpolation, translation) can still point at file:line:col.
 */
sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {
    SourcePosition position();

    /** The YAML tag written on the node ({@code !reset}, {@code !override}), or null. */
    String customTag();

    /** A mapping; keys keep their order and their own positions. */
    record YMap(Map<String, YNode> entries, Map<String, SourcePosition> keyPositions, SourcePosition position, String customTag)
            implements YNode {
        public YMap {
            entries = new LinkedHashMap<>(entries);
            keyPositions = new LinkedHashMap<>(keyPositions);
        }

        YNode get(String key) {
            return entries.get(key);
        }

        SourcePosition keyPosition(String key) {
            return keyPositions.getOrDefault(key, position);
        }
    }

    record YList(List<YNode> items, SourcePosition position, String customTag) implements YNode {
        public YList {
            items = List.copyOf(items);
        }
    }

    /**
     * A scalar: {@code value} is a String, Boolean, Long, Double, BigInteger or null, typed by the
     * YAML 1.2 core schema.
     */
    record YScalar(Object value, SourcePosition position, String customTag) implements YNode {
        boolean isNull() {
            return value == null;
        }

        /** The value as compose reads scalars where it wants text: {@code 8080} → "8080", {@code true} → "true". */
        String text() {
            if (value == null) {
                return "";
            }
            if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                return String.valueOf(d);
            }
            return value.toString();
        }
    }
}
