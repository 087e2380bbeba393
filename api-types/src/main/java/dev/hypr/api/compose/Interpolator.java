package dev.hypr.api.compose;

import java.util.function.Function;

/**
 * Compose variable substitution in one string: {@code $$}, {@code $V}, {@code ${V}},
 * {@code ${V:-d}}, {@code ${V-d}}, {@code ${V:?e}}, {@code ${V?e}}, {@code ${V:+r}},
 * {@code ${V+r}}; defaults and replacements may hold further substitutions. A {@code $} not
 * followed by a name or a brace stays as written, as compose does.
 */
final class Interpolator {
    /** Why a template could not be substituted; the message is what compose would print. */
    static final class TemplateException extends RuntimeException {
        TemplateException(String message) {
            super(message, null, false, false);
        }
    }

    /** Told about each variable that was read unset with no default (compose warns about those). */
    interface UnsetListener {
        void unset(String name);
    }

    private final Function<String, String> lookup;
    private final UnsetListener unsetListener;

    /** {@code lookup} returns null for an unset variable. */
    Interpolator(Function<String, String> lookup, UnsetListener unsetListener) {
        this.lookup = lookup;
        this.unsetListener = unsetListener;
    }

    String interpolate(String template) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder();
        int end = substitute(template, 0, out, false);
        if (end != template.length()) {
            throw new TemplateException("invalid template \"" + template + "\": unexpected }");
        }
        return out.toString();
    }

    /**
     * Copies {@code s} from {@code i} into {@code out}, substituting; stops at the end, or at an
     * unmatched '}' when {@code nested} (the end of a default). Returns where it stopped.
     */
    private int substitute(String s, int i, StringBuilder out, boolean nested) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '}' && nested) {
                return i;
            }
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = s.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                i = braced(s, i + 2, out);
            } else if (isNameStart(next)) {
                int nameEnd = nameEnd(s, i + 1);
                String name = s.substring(i + 1, nameEnd);
                out.append(valueOrBlank(name));
                i = nameEnd;
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }

    /** {@code s[i]} is just after "${"; returns the index after the closing brace. */
    private int braced(String s, int i, StringBuilder out) {
        int nameEnd = i < s.length() && isNameStart(s.charAt(i)) ? nameEnd(s, i) : i;
        String name = s.substring(i, nameEnd);
        if (name.isEmpty()) {
            throw new TemplateException("invalid template \"" + s + "\": ${ must be followed by a variable name");
        }
        if (nameEnd >= s.length()) {
            throw new TemplateException("invalid template \"" + s + "\": missing } after ${" + name);
        }
        char op = s.charAt(nameEnd);
        if (op == '}') {
            out.append(valueOrBlank(name));
            return nameEnd + 1;
        }
        boolean colon = op == ':';
        int opAt = colon ? nameEnd + 1 : nameEnd;
        char kind = opAt < s.length() ? s.charAt(opAt) : 0;
        if (kind != '-' && kind != '?' && kind != '+') {
            throw new TemplateException("invalid template \"" + s + "\": unsupported operator after ${" + name
                    + " (use :-, -, :?, ?, :+ or +)");
        }
        StringBuilder argument = new StringBuilder();
        int close = substitute(s, opAt + 1, argument, true);
        if (close >= s.length()) {
            throw new TemplateException("invalid template \"" + s + "\": missing } after ${" + name);
        }
        String value = lookup.apply(name);
        boolean present = colon ? value != null && !value.isEmpty() : value != null;
        switch (kind) {
            case '-' -> out.append(present ? value : argument);
            case '+' -> out.append(present ? argument : "");
            default -> {
                if (!present) {
                    throw new TemplateException("required variable " + name + " is missing a value"
                            + (argument.isEmpty() ? "" : ": " + argument));
                }
                out.append(value);
            }
        }
        return close + 1;
    }

    private String valueOrBlank(String name) {
        String value = lookup.apply(name);
        if (value == null) {
            unsetListener.unset(name);
            return "";
        }
        return value;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static int nameEnd(String s, int i) {
        while (i < s.length() && (isNameStart(s.charAt(i)) || Character.isDigit(s.charAt(i)))) {
            i++;
        }
        return i;
    }
}
