package dev.hypr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The small part of kubectl's JSONPath that {@code wait --for=jsonpath=} needs:
 * {@code {.status.phase}}, {@code .spec.ports[0].hostPort}, {@code {.metadata.labels.app}}.
 */
public final class JsonPath {
    private final String expression;
    private final List<Object> steps;

    private JsonPath(String expression, List<Object> steps) {
        this.expression = expression;
        this.steps = steps;
    }

    public static JsonPath parse(String expr) {
        String e = expr.strip();
        if (e.startsWith("{") && e.endsWith("}")) {
            e = e.substring(1, e.length() - 1).strip();
        }
        if (e.startsWith("$")) {
            e = e.substring(1);
        }
        if (!e.startsWith(".") && !e.startsWith("[")) {
            throw new IllegalArgumentException("JSONPath must start with '.', e.g. {.status.phase}: " + expr);
        }
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < e.length() && e.charAt(j) != '.' && e.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw new IllegalArgumentException("empty field name in JSONPath " + expr);
                }
                steps.add(e.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int close = e.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in JSONPath " + expr);
                }
                String inner = e.substring(i + 1, close).strip();
                if (inner.matches("\\d+")) {
                    steps.add(Integer.parseInt(inner));
                } else if (inner.length() >= 2 && (inner.startsWith("'") || inner.startsWith("\""))) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else {
                    throw new IllegalArgumentException("unsupported JSONPath index [" + inner + "] in " + expr);
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' in JSONPath " + expr);
            }
        }
        return new JsonPath(expr, List.copyOf(steps));
    }

    public JsonNode evaluate(JsonNode root) {
        JsonNode n = root;
        for (Object step : steps) {
            if (n == null || n.isMissingNode()) {
                return MissingNode.getInstance();
            }
            n = step instanceof Integer idx ? n.path(idx) : n.path((String) step);
        }
        return n == null ? MissingNode.getInstance() : n;
    }

    /** The value as kubectl prints it: text for scalars, JSON for objects and lists, null when absent. */
    public String text(JsonNode root) {
        JsonNode v = evaluate(root);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    @Override
    public String toString() {
        return expression;
    }
}
