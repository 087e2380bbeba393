package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YList;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compose-spec merge rules, used for {@code -f a -f b} overrides and for {@code extends}: mappings
 * merge key by key, scalars and commands are replaced, {@code environment}/{@code labels}-style
 * lists merge by name, mounts by target, other lists append without duplicates; {@code !reset}
 * removes a value and {@code !override} replaces it whole.
 */
final class ComposeMerger {
    /** Service keys whose value is replaced, never merged. */
    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test", "image", "build.context");
    /** Service keys whose list form is a set of NAME=VALUE (or NAME) entries: merged by name. */
    private static final Set<String> NAMED_LISTS = Set.of("environment", "labels", "args", "sysctls", "annotations",
            "extra_hosts", "depends_on", "networks");
    /** Service keys whose items merge by where they end up in the guest. */
    private static final Set<String> BY_TARGET = Set.of("volumes", "secrets", "configs");

    private ComposeMerger() {
    }

    /** {@code override} merged onto {@code base}; neither is changed. */
    static YMap merge(YMap base, YMap override) {
        return mergeMap(base, override, "");
    }

    private static YNode mergeValue(YNode base, YNode override, String key) {
        if ("!override".equals(override.customTag()) || REPLACED.contains(key)) {
            return override;
        }
        if (NAMED_LISTS.contains(key) && (base instanceof YList || override instanceof YList)) {
            YMap b = namedListAsMap(base);
            YMap o = namedListAsMap(override);
            return b != null && o != null ? mergeMap(b, o, key) : override;
        }
        if (base instanceof YMap b && override instanceof YMap o) {
            return mergeMap(b, o, key);
        }
        if (base instanceof YList b && override instanceof YList o) {
            return BY_TARGET.contains(key) ? mergeByTarget(b, o) : appendUnique(b, o);
        }
        return override;
    }

    private static YMap mergeMap(YMap base, YMap override, String context) {
        Map<String, YNode> entries = new LinkedHashMap<>(base.entries());
        Map<String, SourcePosition> keys = new LinkedHashMap<>(base.keyPositions());
        override.entries().forEach((key, value) -> {
            if ("!reset".equals(value.customTag())) {
                entries.remove(key);
                keys.remove(key);
                return;
            }
            YNode existing = entries.get(key);
            entries.put(key, existing == null ? value : mergeValue(existing, value, key));
            keys.put(key, override.keyPosition(key));
        });
        return new YMap(entries, keys, override.position(), null);
    }

    private static YList appendUnique(YList base, YList override) {
        List<YNode> items = new ArrayList<>(base.items());
        List<Object> seen = new ArrayList<>(base.items().stream().map(ComposeMerger::plain).toList());
        for (YNode item : override.items()) {
            if (!seen.contains(plain(item))) {
                items.add(item);
                seen.add(plain(item));
            }
        }
        return new YList(items, override.position(), null);
    }

    private static YList mergeByTarget(YList base, YList override) {
        Map<String, YNode> byTarget = new LinkedHashMap<>();
        for (YNode item : base.items()) {
            byTarget.put(target(item), item);
        }
        for (YNode item : override.items()) {
            byTarget.put(target(item), item);
        }
        return new YList(new ArrayList<>(byTarget.values()), override.position(), null);
    }

    /** The guest path (or secret name) a volume/secret/config item is keyed by when merging. */
    static String target(YNode item) {
        if (item instanceof YScalar s) {
            String[] parts = s.text().split(":");
            return parts.length >= 2 ? parts[1] : parts[0];
        }
        if (item instanceof YMap m) {
            YNode t = m.get("target");
            YNode src = m.get("source");
            return t instanceof YScalar ts ? ts.text() : src instanceof YScalar ss ? ss.text() : String.valueOf(plain(m));
        }
        return String.valueOf(plain(item));
    }

    /**
     * A {@code [NAME=VALUE, NAME]} list (or a {@code [name]} list for depends_on/networks) as a
     * mapping; a mapping stays as it is; anything else is not a named list (null).
     */
    static YMap namedListAsMap(YNode node) {
        if (node instanceof YMap m) {
            return m;
        }
        if (!(node instanceof YList list)) {
            return null;
        }
        Map<String, YNode> entries = new LinkedHashMap<>();
        Map<String, SourcePosition> keys = new LinkedHashMap<>();
        for (YNode item : list.items()) {
            if (!(item instanceof YScalar s)) {
                return null;
            }
            String text = s.text();
            int eq = text.indexOf('=');
            String name = eq < 0 ? text : text.substring(0, eq);
            entries.put(name, new YScalar(eq < 0 ? null : text.substring(eq + 1), s.position(), null));
            keys.put(name, s.position());
        }
        return new YMap(entries, keys, list.position(), null);
    }

    /** The plain Java value of a node, for equality between list items. */
    static Object plain(YNode node) {
        if (node instanceof YScalar s) {
            return s.value();
        }
        if (node instanceof YList l) {
            return l.items().stream().map(ComposeMerger::plain).toList();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((YMap) node).entries().forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }
}
