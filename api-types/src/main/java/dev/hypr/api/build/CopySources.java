package dev.hypr.api.build;

import dev.hypr.api.build.BuildContext.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where each context entry a COPY/ADD selects lands in the image, with BuildKit's rules: a
 * directory source copies its CONTENTS ({@code COPY dir/ /x/} gives {@code /x/file}, never
 * {@code /x/dir/file}); a file lands at the destination, or inside it when the destination ends
 * with {@code /} or there are several sources; wildcards are Go {@code filepath.Match} patterns;
 * several sources need a destination ending with {@code /}; sources never leave the context.
 */
public final class CopySources {
    private CopySources() {
    }

    /** One entry to copy and its absolute path in the image. */
    public record Item(Entry entry, String target) {
    }

    /**
     * @param dest     absolute (as {@link StageEvaluator} resolves it), a trailing {@code /}
     *                 meaning a directory
     * @param excludes {@code COPY --exclude} patterns, matched against paths relative to each source
     * @throws IllegalArgumentException for a missing source, one outside the context, or several
     *                                  sources into a non-directory destination
     */
    public static List<Item> plan(BuildContext ctx, List<String> sources, String dest, List<String> excludes) {
        List<Entry> roots = new ArrayList<>();
        boolean wildcard = false;
        for (String raw : sources) {
            String src = contextPath(raw);
            if (hasWildcard(src)) {
                wildcard = true;
                Pattern p = Pattern.compile(globRegex(src));
                boolean any = false;
                for (Entry e : ctx.entries().values()) {
                    if (p.matcher(e.path()).matches()) {
                        roots.add(e);
                        any = true;
                    }
                }
                if (!any) {
                    throw new IllegalArgumentException("no source files were specified: \"" + raw + "\" matches nothing in the context");
                }
            } else if (src.equals(".")) {
                roots.add(new Entry(".", BuildContext.Type.DIR, 0755, 0, null, ""));
            } else {
                Entry e = ctx.entries().get(src);
                if (e == null) {
                    throw new IllegalArgumentException("\"" + raw + "\": not found in the build context"
                            + " (or excluded by .dockerignore)");
                }
                roots.add(followTopLevel(ctx, e, raw));
            }
        }
        boolean many = sources.size() > 1 || (wildcard && roots.size() > 1);
        boolean destIsDir = dest.endsWith("/");
        if (many && !destIsDir) {
            throw new IllegalArgumentException("when using COPY with more than one source file, the destination must be "
                    + "a directory and end with a /");
        }
        DockerIgnore exclude = excludes.isEmpty() ? DockerIgnore.none() : DockerIgnore.parse(String.join("\n", excludes));
        String destDir = BuildPaths.clean(dest);
        List<Item> items = new ArrayList<>();
        for (Entry root : roots) {
            if (root.isDir()) {
                items.add(new Item(root, destDir));
                for (Entry e : ctx.under(root.path())) {
                    String rel = root.path().equals(".") ? e.path() : e.path().substring(root.path().length() + 1);
                    if (!exclude.excludes(rel)) {
                        items.add(new Item(e, BuildPaths.join(destDir, rel)));
                    }
                }
            } else if (!exclude.excludes(baseName(root.path()))) {
                String target = destIsDir || many ? BuildPaths.join(destDir, baseName(root.path())) : destDir;
                items.add(new Item(root, target));
            }
        }
        return items;
    }

    /** A top-level symlink source is followed (inside the context), as BuildKit does. */
    private static Entry followTopLevel(BuildContext ctx, Entry e, String raw) {
        Entry cur = e;
        for (int hops = 0; cur.type() == BuildContext.Type.SYMLINK; hops++) {
            if (hops > 40) {
                throw new IllegalArgumentException("\"" + raw + "\": too many levels of symbolic links");
            }
            String dir = cur.path().contains("/") ? cur.path().substring(0, cur.path().lastIndexOf('/')) : "";
            String target = DockerIgnore.clean(dir.isEmpty() ? cur.linkTarget() : dir + "/" + cur.linkTarget());
            Entry next = ctx.entries().get(target);
            if (next == null) {
                throw new IllegalArgumentException("\"" + raw + "\": symlink to " + cur.linkTarget() + " which is not in the context");
            }
            cur = next;
        }
        return cur;
    }

    /** A source as a context-relative path; {@code ..} out of the context is refused. */
    static String contextPath(String raw) {
        String p = DockerIgnore.clean(raw.startsWith("/") ? raw.substring(1) : raw);
        if (p.isEmpty() || p.equals("/")) {
            return ".";
        }
        if (p.equals("..") || p.startsWith("../")) {
            throw new IllegalArgumentException("\"" + raw + "\": forbidden path outside the build context");
        }
        return p;
    }

    private static String baseName(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static boolean hasWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** Go filepath.Match as a regex: {@code *} and {@code ?} never cross {@code /}. */
    static String globRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("syntax error in pattern " + glob);
                    }
                    String cls = glob.substring(i + 1, end);
                    // Go's [^a-z] negation is also Java's; escape only what Java reads differently.
                    re.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
