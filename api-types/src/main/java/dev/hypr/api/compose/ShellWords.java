package dev.hypr.api.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words like a POSIX shell does (quotes, backslashes), without
 * running a shell: {@code command: echo "a b"} is {@code [echo, a b]}, not {@code sh -c}.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** @throws IllegalArgumentException on an unterminated quote or a trailing backslash */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (++i >= s.length()) {
                    throw new IllegalArgumentException("command ends with a lone backslash");
                }
                if (s.charAt(i) != '\n') {
                    word.append(s.charAt(i));
                    inWord = true;
                }
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote in command");
                }
                word.append(s, i + 1, end);
                inWord = true;
                i = end;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, word);
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Inside double quotes a backslash escapes only $ ` " \ and a newline. Returns the closing quote's index. */
    private static int doubleQuoted(String s, int i, StringBuilder word) {
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                if (s.charAt(++i) != '\n') {
                    word.append(s.charAt(i));
                }
            } else {
                word.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated double quote in command");
    }
}
