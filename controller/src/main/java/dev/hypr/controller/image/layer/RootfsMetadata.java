package dev.hypr.controller.image.layer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Ownership, modes and times of every path in the rootfs as the layers declare them, kept
 * apart from the files on disk so that extraction needs no privileges; emitted as mksquashfs
 * pseudo-definitions ({@code m}/{@code M} = modify, {@code C/B/I} = create device or fifo), so the
 * squashfs carries the image's numeric uid/gid and modes, and device nodes never exist on the host.
 */
public final class RootfsMetadata {
    /** type: 'D' directory, 'M' other things on disk, 'C'/'B' devices, 'I' fifos (only in the squashfs). */
    record Entry(char type, int mode, long uid, long gid, long mtime, int major, int minor) {
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();

    void put(String path, Entry e) {
        entries.put(path, e);
    }

    Entry get(String path) {
        return entries.get(path);
    }

    /** Forgets {@code path} and, if it was a directory, everything below it. */
    void removeTree(String path) {
        entries.remove(path);
        entries.subMap(path + "/", true, path + "/\uffff", true).clear();
    }

    /** Forgets everything below {@code dir} except the given paths (opaque whiteout). */
    void removeChildren(String dir, java.util.Set<String> keep) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        entries.subMap(prefix, false, prefix + "\uffff", true).keySet().removeIf(k -> !k.isEmpty() && !keep.contains(k));
    }

    public int size() {
        return entries.size();
    }

    public void writePseudoFile(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                w.write(escape(me.getKey()));
                w.write(' ');
                if (e.type() == 'D') {
                    w.write("m "); // mksquashfs 4.5.1 treats a directory given 'M' as a file and drops its children
                } else {
                    w.write(e.type());
                    w.write(' ');
                    w.write(Long.toString(Math.max(0, e.mtime())));
                    w.write(' ');
                }
                w.write(Integer.toOctalString(e.mode() & 07777));
                w.write(' ');
                w.write(e.uid() + " " + e.gid());
                if (e.type() == 'C' || e.type() == 'B') {
                    w.write(" " + e.major() + " " + e.minor());
                } else if (e.type() == 'I') {
                    w.write(" f");
                }
                w.write('\n');
            }
        }
    }

    /** mksquashfs reads backslash escapes in pseudo-file names; spaces would otherwise end the name. */
    static String escape(String path) {
        StringBuilder sb = new StringBuilder(path.length() + 8);
        for (char c : path.toCharArray()) {
            if (c == ' ' || c == '\\' || c == '"' || c == '\t') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
