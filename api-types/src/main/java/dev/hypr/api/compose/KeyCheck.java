package dev.hypr.api.compose;

import dev.hypr.api.compose.YNode.YMap;
import java.util.Set;
import java.util.TreeSet;

/** Unknown keys are errors at the key's position (a typo must not be dropped); {@code x-*} is always allowed. */
final class KeyCheck {
    private KeyCheck() {
    }

    static void only(YMap map, String path, Set<String> known, Problems problems) {
        for (String key : map.entries().keySet()) {
            if (!known.contains(key) && !key.startsWith("x-")) {
                problems.error(map.keyPosition(key), join(path, key), "unknown key \"" + key + "\" (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
