package dev.hypr.api.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code .dockerignore} patterns, matched as moby's patternmatcher does (what BuildKit uses): Go
 * {@code filepath.Match} syntax ({@code * ? [a-z] \}) plus {@code **} for any number of
 * directories; a leading {@code !} re-includes; the last matching pattern wins; a pattern that
 * matches a directory excludes everything under it. Paths are relative to the context, with
 * {@code /}.
 */
public final class DockerIgnore {
    private record Rule(String text, boolean exclusion, Pattern regex) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    /**
     * Parses the file's text: {@code #} comment lines, blank lines skipped, white space trimmed,
     * patterns cleaned ({@code ./a/../b} is {@code b}, a leading {@code /} dropped).
     *
     * @throws IllegalArgumentException naming the line of a malformed pattern
     */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String p = lines[i];
            if (p.startsWith("#")) {
                continue;
            }
            p = p.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean invert = p.startsWith("!");
            if (invert) {
                p = p.substring(1).strip();
            }
            if (!p.isEmpty()) {
                p = clean(p);
                if (p.length() > 1 && p.startsWith("/")) {
                    p = p.substring(1);
                }
            }
            try {
                rules.add(new Rule(p, invert, Pattern.compile(regex(p))));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(".dockerignore:" + (i + 1) + ": invalid pattern \"" + lines[i].strip() + "\"");
            }
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** True when {@code path} (relative, {@code /}-separated) is excluded from the context. */
    public boolean excludes(String path) {
        String file = clean(path);
        String parent = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : ".";
        String[] parentDirs = parent.split("/");
        boolean matched = false;
        for (Rule r : rules) {
            // An inclusion is pointless once matched, an exclusion before anything matched.
            if (r.exclusion != matched) {
                continue;
            }
            boolean match = r.regex.matcher(file).matches();
            if (!match && !parent.equals(".")) {
                StringBuilder prefix = new StringBuilder();
                for (String dir : parentDirs) {
                    if (prefix.length() > 0) {
                        prefix.append('/');
                    }
                    prefix.append(dir);
                    if (r.regex.matcher(prefix).matches()) {
                        match = true;
                        break;
                    }
                }
            }
            if (match) {
                matched = !r.exclusion;
            }
        }
        return matched;
    }

    /** Whether any {@code !} pattern exists (then an excluded directory may still hold included files). */
    public boolean hasExclusions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }

    /** Go's filepath.Clean for relative paths. */
    static String clean(String p) {
        boolean abs = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!abs) {
                    out.add("..");
                }
            } else {
                out.add(part);
            }
        }
        String s = String.join("/", out);
        return abs ? "/" + s : s.isEmpty() ? "." : s;
    }

    /** The pattern as a regular expression, as patternmatcher compiles it. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++; // "**/" is "**"
                    }
                    re.append(i + 1 >= n ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (ch == '?') {
                re.append("[^/]");
            } else if (".+()|{}$".indexOf(ch) >= 0) {
                re.append('\\').append(ch);
            } else if (ch == '\\') {
                if (i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append("\\\\");
                }
            } else {
                re.append(ch);
            }
        }
        return re.append('$').toString();
    }
}
