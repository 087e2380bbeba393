package dev.hypr.api.compose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses {@code .env} and {@code env_file} files as compose does: {@code KEY=VALUE} or
 * {@code KEY: VALUE}, an optional {@code export }, {@code #} comments (inline only after
 * whitespace in unquoted values), single quotes taken literally, double quotes with escapes and
 * substitution (and line breaks), unquoted values trimmed and substituted. A bare {@code KEY}
 * takes its value from the environment, or is left out when unset there.
 */
final class DotEnv {
    /** A line that is not an assignment; {@code line} counts from 1. */
    static final class DotEnvException extends RuntimeException {
        final int line;

        DotEnvException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private DotEnv() {
    }

    /**
     * @param environment looked up for substitutions after the variables defined earlier in the
     *                    file, and for bare keys
     */
    static Map<String, String> parse(String text, Function<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        Function<String, String> lookup = name -> values.containsKey(name) ? values.get(name) : environment.apply(name);
        Interpolator interpolator = new Interpolator(lookup, name -> { });
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring(7).stripLeading();
            }
            int sep = separator(line);
            if (sep < 0) {
                String key = line.split("\\s+#", 2)[0].strip();
                checkKey(key, n + 1);
                String inherited = environment.apply(key);
                if (inherited != null) {
                    values.put(key, inherited);
                }
                continue;
            }
            String key = line.substring(0, sep).strip();
            checkKey(key, n + 1);
            String rest = line.substring(sep + 1).stripLeading();
            int lineNumber = n + 1;
            try {
                if (rest.startsWith("'") || rest.startsWith("\"")) {
                    char quote = rest.charAt(0);
                    StringBuilder quoted = new StringBuilder(rest.substring(1));
                    int close = closingQuote(quoted, quote);
                    while (close < 0 && n + 1 < lines.length) {
                        quoted.append('\n').append(lines[++n]);
                        close = closingQuote(quoted, quote);
                    }
                    if (close < 0) {
                        throw new DotEnvException(lineNumber, "unterminated " + (quote == '"' ? "double" : "single") + " quote in " + key);
                    }
                    String inner = quoted.substring(0, close);
                    values.put(key, quote == '\'' ? inner : interpolator.interpolate(unescape(inner)));
                } else {
                    values.put(key, interpolator.interpolate(stripInlineComment(rest).strip()));
                }
            } catch (Interpolator.TemplateException e) {
                throw new DotEnvException(lineNumber, e.getMessage());
            }
        }
        return values;
    }

    private static int separator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        // "KEY: value" is the YAML-like form; a ':' after '=' belongs to the value.
        if (colon >= 0 && (eq < 0 || colon < eq) && colon + 1 < line.length() && Character.isWhitespace(line.charAt(colon + 1))) {
            return colon;
        }
        return eq;
    }

    private static void checkKey(String key, int line) {
        if (key.isEmpty() || !key.matches("[A-Za-z_][A-Za-z0-9_.\\-]*")) {
            throw new DotEnvException(line, "invalid variable name \"" + key + "\" (want KEY=VALUE)");
        }
    }

    private static int closingQuote(CharSequence s, char quote) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && quote == '"') {
                i++;
            } else if (s.charAt(i) == quote) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '"', '\\' -> out.append(e);
                case '$' -> out.append("$$");
                default -> out.append('\\').append(e);
            }
        }
        return out.toString();
    }

    private static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '#' && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
