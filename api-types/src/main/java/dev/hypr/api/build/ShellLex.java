package dev.hypr.api.build;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variable substitution and quote removal for the Dockerfile instructions BuildKit expands
 * (FROM, ADD, COPY, ENV, ARG, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and the flags of
 * RUN --mount): {@code $V ${V} ${V:-d} ${V-d} ${V:+x} ${V+x} ${V:?msg} ${V?msg}}, single quotes
 * literal, double quotes expanding, the escape character escaping. Mirrors BuildKit's
 * {@code frontend/dockerfile/shell} lexer so words expand exactly as {@code docker build} does.
 */
public final class ShellLex {
    private final char escape;

    public ShellLex(char escape) {
        this.escape = escape;
    }

    /** The result of expanding: the single word, the word-split words, and the variables read. */
    public record Expansion(String word, List<String> words, Set<String> used) {
    }

    /** Expands {@code text} into one word (quotes removed, no word splitting). */
    public String processWord(String text, Map<String, String> env) {
        return process(text, env).word();
    }

    /** Expands {@code text} and splits it into words at unquoted white space (EXPOSE, VOLUME). */
    public List<String> processWords(String text, Map<String, String> env) {
        return process(text, env).words();
    }

    /** @throws IllegalArgumentException on bad syntax (unterminated quote, bad substitution) */
    public Expansion process(String text, Map<String, String> env) {
        Scan scan = new Scan(text, env);
        Words words = new Words();
        String word = scan.processStopOn((char) 0, words);
        return new Expansion(word, words.get(), scan.used);
    }

    private final class Scan {
        private final String s;
        private final Map<String, String> env;
        private final Set<String> used = new LinkedHashSet<>();
        private int pos;

        Scan(String s, Map<String, String> env) {
            this.s = s;
            this.env = env;
        }

        private boolean eof() {
            return pos >= s.length();
        }

        private char peek() {
            return eof() ? 0 : s.charAt(pos);
        }

        private char next() {
            return eof() ? 0 : s.charAt(pos++);
        }

        /** Reads up to (and consuming) {@code stop}, or to the end when stop is 0. */
        String processStopOn(char stop, Words words) {
            StringBuilder result = new StringBuilder();
            while (!eof()) {
                char ch = peek();
                if (stop != 0 && ch == stop) {
                    next();
                    return result.toString();
                }
                if (ch == '\'' || ch == '"' || ch == '$') {
                    String part = ch == '\'' ? singleQuote() : ch == '"' ? doubleQuote() : dollar();
                    result.append(part);
                    if (ch == '$') {
                        words.addString(part);
                    } else {
                        words.addRaw(part);
                    }
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (eof()) {
                        break;
                    }
                    ch = next();
                    words.addRawChar(ch);
                } else {
                    words.addChar(ch);
                }
                result.append(ch);
            }
            if (stop != 0) {
                throw new IllegalArgumentException("unexpected end of statement while looking for matching " + stop);
            }
            return result.toString();
        }

        private String singleQuote() {
            next();
            int end = s.indexOf('\'', pos);
            if (end < 0) {
                throw new IllegalArgumentException("unexpected end of statement while looking for matching single-quote");
            }
            String out = s.substring(pos, end);
            pos = end + 1;
            return out;
        }

        private String doubleQuote() {
            next();
            StringBuilder out = new StringBuilder();
            while (true) {
                if (eof()) {
                    throw new IllegalArgumentException("unexpected end of statement while looking for matching double-quote");
                }
                char ch = peek();
                if (ch == '"') {
                    next();
                    return out.toString();
                }
                if (ch == '$') {
                    out.append(dollar());
                    continue;
                }
                next();
                if (ch == escape) {
                    if (eof()) {
                        continue;
                    }
                    char n = peek();
                    // Only these can be escaped inside double quotes; other escapes stay literal.
                    if (n == '"' || n == '$' || n == escape) {
                        ch = next();
                    }
                }
                out.append(ch);
            }
        }

        private String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                return lookup(name);
            }
            next();
            char first = peek();
            if (eof()) {
                throw new IllegalArgumentException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new IllegalArgumentException("syntax error: bad substitution");
            }
            String name = name();
            char ch = next();
            if (ch == '}') {
                return lookup(name);
            }
            boolean colon = ch == ':';
            char modifier = colon ? next() : ch;
            if (modifier != '-' && modifier != '+' && modifier != '?') {
                if (ch == 0) {
                    throw new IllegalArgumentException("syntax error: missing '}'");
                }
                throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
            }
            String word = processStopOn('}', new Words());
            used.add(name);
            String value = env.get(name);
            boolean set = value != null;
            boolean nonEmpty = set && !value.isEmpty();
            boolean present = colon ? nonEmpty : set;
            switch (modifier) {
                case '+':
                    return present ? word : "";
                case '-':
                    return present ? value : word;
                default:
                    if (!present) {
                        throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    return value;
            }
        }

        private String lookup(String name) {
            used.add(name);
            String v = env.get(name);
            return v == null ? "" : v;
        }

        private String name() {
            StringBuilder name = new StringBuilder();
            while (!eof()) {
                char ch = peek();
                if (name.length() == 0 && Character.isDigit(ch)) {
                    while (!eof() && Character.isDigit(peek())) {
                        name.append(next());
                    }
                    return name.toString();
                }
                if (!Character.isLetterOrDigit(ch) && ch != '_') {
                    break;
                }
                name.append(next());
            }
            return name.toString();
        }
    }

    /** Word splitting as BuildKit does it: expanded text splits at white space, quoted text does not. */
    private static final class Words {
        private final StringBuilder word = new StringBuilder();
        private final List<String> words = new ArrayList<>();
        private boolean inWord;

        void addChar(char ch) {
            if (Character.isWhitespace(ch)) {
                if (inWord && word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                addRawChar(ch);
            }
        }

        void addRawChar(char ch) {
            word.append(ch);
            inWord = true;
        }

        void addString(String str) {
            for (int i = 0; i < str.length(); i++) {
                addChar(str.charAt(i));
            }
        }

        void addRaw(String str) {
            word.append(str);
            inWord = true;
        }

        List<String> get() {
            if (word.length() > 0) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
            return List.copyOf(words);
        }
    }
}
