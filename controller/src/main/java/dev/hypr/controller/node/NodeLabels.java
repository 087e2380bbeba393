package dev.hypr.controller.node;

import java.util.LinkedHashMap;
import java.util.Map;

/** HYPR_NODE_LABELS: {@code zone=a,disk=ssd} → labels. */
public final class NodeLabels {
    private NodeLabels() {
    }

    /** @throws IllegalArgumentException naming the entry without {@code =} */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("HYPR_NODE_LABELS: \"" + p + "\" is not key=value (e.g. zone=a,disk=ssd)");
            }
            out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return out;
    }
}
