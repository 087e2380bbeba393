package dev.hypr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What {@code wait --for=...} waits for: {@code delete}, {@code condition=Ready},
 * {@code condition=Ready=False}, {@code jsonpath={.status.phase}=Running} or
 * {@code jsonpath={.status.ip}} (present and not empty).
 */
public abstract class WaitCondition {
    public abstract boolean test(Optional<JsonNode> object);

    public boolean isDelete() {
        return false;
    }

    public static WaitCondition parse(String spec) {
        String s = spec.strip();
        if (s.equalsIgnoreCase("delete")) {
            return new WaitCondition() {
                @Override
                public boolean test(Optional<JsonNode> object) {
                    return object.isEmpty();
                }

                @Override
                public boolean isDelete() {
                    return true;
                }
            };
        }
        if (s.startsWith("condition=")) {
            String rest = s.substring("condition=".length());
            int eq = rest.indexOf('=');
            String type = eq < 0 ? rest : rest.substring(0, eq);
            String want = eq < 0 ? "True" : rest.substring(eq + 1);
            if (type.isEmpty() || want.isEmpty()) {
                throw bad(spec);
            }
            return new WaitCondition() {
                @Override
                public boolean test(Optional<JsonNode> object) {
                    if (object.isEmpty()) {
                        return false;
                    }
                    for (JsonNode c : object.get().path("status").path("conditions")) {
                        if (type.equalsIgnoreCase(c.path("type").asText())) {
                            return want.equalsIgnoreCase(c.path("status").asText());
                        }
                    }
                    return false;
                }
            };
        }
        if (s.startsWith("jsonpath=")) {
            String rest = s.substring("jsonpath=".length());
            String expr;
            String want;
            if (rest.startsWith("{")) {
                int close = rest.indexOf('}');
                if (close < 0) {
                    throw bad(spec);
                }
                expr = rest.substring(0, close + 1);
                String tail = rest.substring(close + 1);
                if (!tail.isEmpty() && !tail.startsWith("=")) {
                    throw bad(spec);
                }
                want = tail.isEmpty() ? null : tail.substring(1);
            } else {
                int eq = rest.indexOf('=');
                expr = eq < 0 ? rest : rest.substring(0, eq);
                want = eq < 0 ? null : rest.substring(eq + 1);
            }
            JsonPath path;
            try {
                path = JsonPath.parse(expr);
            } catch (IllegalArgumentException e) {
                throw new CliException("--for=" + spec + ": " + e.getMessage(), 2);
            }
            return new WaitCondition() {
                @Override
                public boolean test(Optional<JsonNode> object) {
                    if (object.isEmpty()) {
                        return false;
                    }
                    String v = path.text(object.get());
                    return want == null ? v != null && !v.isEmpty() : want.equals(v);
                }
            };
        }
        throw bad(spec);
    }

    private static CliException bad(String spec) {
        return new CliException("unrecognized --for=" + spec + " (use delete, condition=TYPE[=STATUS] or "
                + "jsonpath={.path}[=VALUE])", 2);
    }
}
