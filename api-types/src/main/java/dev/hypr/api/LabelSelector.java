package dev.hypr.api;

import java.util.Map;

/** Temporary equality-only selector; replaced by the full Kubernetes selector parser. */
public final class LabelSelector {
    private final Map<String, String> equals;

    private LabelSelector(Map<String, String> equals) {
        this.equals = equals;
    }

    public static LabelSelector parse(String s) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        if (s != null && !s.isBlank()) {
            for (String part : s.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("invalid label selector \"" + s + "\"");
                }
                m.put(kv[0].trim(), kv[1].trim());
            }
        }
        return new LabelSelector(m);
    }

    public boolean matches(Map<String, String> labels) {
        return equals.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
