package dev.hypr.api.build;

import java.util.ArrayDeque;
import java.util.Deque;

/** Slash-separated image paths: joining against a working directory and cleaning, as Go's path.Clean. */
public final class BuildPaths {
    private BuildPaths() {
    }

    /** {@code path} if absolute, else {@code base/path}; cleaned, never escaping {@code /}. */
    public static String join(String base, String path) {
        return clean(path.startsWith("/") ? path : base + "/" + path);
    }

    /** Go's path.Clean for absolute paths: no {@code .}, {@code ..} or double slashes. */
    public static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }
}
