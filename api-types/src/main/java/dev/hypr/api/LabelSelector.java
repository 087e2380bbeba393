package dev.hypr.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: comma-separated requirements that must all hold, each one of
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}.
 */
public final class LabelSelector {
    private static final Pattern SET_BASED = Pattern.compile("\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
    private static final Pattern EQUALITY = Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

    private enum Operator { IN, NOT_IN, EXISTS, NOT_EXISTS }

    private record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /** Matches every object. */
    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    /** @throws IllegalArgumentException naming the requirement that cannot be parsed */
    public static LabelSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitRequirements(selector)) {
            requirements.add(requirement(part));
        }
        return new LabelSelector(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Splits on commas that are not inside a value set's parentheses. */
    private static List<String> splitRequirements(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0 || depth > 1) {
                throw new IllegalArgumentException("unbalanced parentheses in selector \"" + selector + "\"");
            }
            if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced parentheses in selector \"" + selector + "\"");
        }
        parts.add(selector.substring(start));
        if (parts.size() == 1 && parts.get(0).isBlank()) {
            return List.of();
        }
        return parts;
    }

    private static Requirement requirement(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty requirement in selector (two commas in a row?)");
        }
        Matcher m = SET_BASED.matcher(text);
        if (m.matches()) {
            Set<String> values = Set.copyOf(List.of(m.group(3).trim().isEmpty() ? new String[0] : m.group(3).split("\\s*,\\s*", -1))
                    .stream().map(String::trim).toList());
            values.forEach(v -> checkValue(text, v));
            return new Requirement(checkKey(text, m.group(1)), m.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        m = EQUALITY.matcher(text);
        if (m.matches()) {
            checkValue(text, m.group(3));
            Operator op = m.group(2).equals("!=") ? Operator.NOT_IN : Operator.IN;
            return new Requirement(checkKey(text, m.group(1)), op, Set.of(m.group(3)));
        }
        m = EXISTS.matcher(text);
        if (m.matches()) {
            return new Requirement(checkKey(text, m.group(2)), m.group(1).isEmpty() ? Operator.EXISTS : Operator.NOT_EXISTS, Set.of());
        }
        throw new IllegalArgumentException("cannot parse requirement \"" + text.trim()
                + "\" (expected k=v, k!=v, k in (a,b), k notin (a,b), k or !k)");
    }

    private static String checkKey(String requirement, String key) {
        Labels.keyProblem(key).ifPresent(p -> {
            throw new IllegalArgumentException("in \"" + requirement.trim() + "\": " + p);
        });
        return key;
    }

    private static void checkValue(String requirement, String value) {
        Labels.valueProblem(value).ifPresent(p -> {
            throw new IllegalArgumentException("in \"" + requirement.trim() + "\": " + p);
        });
    }
}
