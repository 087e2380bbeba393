package dev.hypr.api.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A build context directory after {@code .dockerignore}: the entries it sends (sorted by path,
 * each with a content hash of name, type, mode and contents — never mtimes or owners), written as
 * a deterministic tar stream for the CLI to send to hyprd. Symlinks are sent as symlinks, never
 * followed; one whose target lies outside the context is refused.
 */
public final class BuildContext {
    /** One thing in the context. {@code path} is relative with {@code /}; {@code sha256} hex. */
    public record Entry(String path, Type type, int mode, long size, String linkTarget, String sha256) {
        public boolean isDir() {
            return type == Type.DIR;
        }
    }

    public enum Type { FILE, DIR, SYMLINK }

    private final Path root;
    private final Map<String, Entry> entries;

    private BuildContext(Path root, Map<String, Entry> entries) {
        this.root = root;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * Walks {@code root}, reading {@code root/.dockerignore} when present.
     *
     * @throws IllegalArgumentException for a symlink out of the context or an unsupported file type
     */
    public static BuildContext walk(Path root) throws IOException {
        Path ignoreFile = root.resolve(".dockerignore");
        DockerIgnore ignore = Files.isRegularFile(ignoreFile)
                ? DockerIgnore.parse(Files.readString(ignoreFile, StandardCharsets.UTF_8)) : DockerIgnore.none();
        return walk(root, ignore);
    }

    public static BuildContext walk(Path root, DockerIgnore ignore) throws IOException {
        return walk(root, ignore, true);
    }

    /**
     * {@code hashFiles} false: files' {@code sha256} stays null. hyprctl sends the context without
     * hashing it (hyprd hashes what each COPY takes), so it reads every file once, not twice.
     */
    public static BuildContext walk(Path root, DockerIgnore ignore, boolean hashFiles) throws IOException {
        Path base = root.toRealPath();
        if (!Files.isDirectory(base)) {
            throw new IllegalArgumentException("build context " + root + " is not a directory");
        }
        Map<String, Entry> entries = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(base)) {
            all = s.filter(p -> !p.equals(base)).sorted().toList();
        }
        for (Path p : all) {
            String rel = base.relativize(p).toString().replace('\\', '/');
            if (ignore.excludes(rel)) {
                continue;
            }
            entries.put(rel, entry(base, p, rel, hashFiles));
            // Parents of a re-included file come along even when their directory is excluded.
            for (String parent = parentOf(rel); parent != null && !entries.containsKey(parent); parent = parentOf(parent)) {
                entries.put(parent, entry(base, base.resolve(parent), parent, hashFiles));
            }
        }
        return new BuildContext(base, entries);
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? null : rel.substring(0, slash);
    }

    private static Entry entry(Path base, Path p, String rel, boolean hashFiles) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = fullMode(p, a);
        if (a.isSymbolicLink()) {
            String target = Files.readSymbolicLink(p).toString();
            Path resolved = p.getParent().resolve(target).normalize();
            if (Path.of(target).isAbsolute() || !resolved.startsWith(base)) {
                throw new IllegalArgumentException("build context: symlink " + rel + " -> " + target
                        + " leads out of the context " + base + " (remove it or list it in .dockerignore)");
            }
            return new Entry(rel, Type.SYMLINK, 0777, 0, target, sha256(("symlink\0" + rel + "\0" + target).getBytes(StandardCharsets.UTF_8)));
        }
        if (a.isDirectory()) {
            return new Entry(rel, Type.DIR, mode, 0, null, sha256(("dir\0" + rel + "\0" + Integer.toOctalString(mode)).getBytes(StandardCharsets.UTF_8)));
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException("build context: " + rel + " is not a regular file, directory or symlink"
                    + " (sockets, fifos and devices cannot be sent; list it in .dockerignore)");
        }
        if (!hashFiles) {
            return new Entry(rel, Type.FILE, mode, a.size(), null, null);
        }
        MessageDigest md = digest();
        md.update(("file\0" + rel + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("build context: " + rel + " vanished while reading the context");
        }
        return new Entry(rel, Type.FILE, mode, a.size(), null, HexFormat.of().formatHex(md.digest()));
    }

    /** The permission bits with setuid, setgid and sticky (which PosixFilePermission lacks). */
    private static int fullMode(Path p, PosixFileAttributes a) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return mode(a.permissions());
        }
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(digest().digest(b));
    }

    public Path root() {
        return root;
    }

    /** Every sent entry by path, sorted. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * One digest for a set of entries (a COPY's sources): changes when a name, type, mode or
     * content changes, not when only mtimes do.
     */
    public static String digestOf(List<Entry> selected) {
        MessageDigest md = digest();
        selected.stream().sorted((x, y) -> x.path().compareTo(y.path())).forEach(e ->
                md.update((e.sha256() + "\n").getBytes(StandardCharsets.UTF_8)));
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /**
     * Writes the context as a tar: entries sorted, mtime 0, owner 0:0, no user names, so the same
     * context always gives the same bytes (hyprd can recognise a context it already has).
     */
    public void writeTar(OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        for (Entry e : entries.values()) {
            switch (e.type()) {
                case DIR -> tar.dir(e.path() + "/", e.mode());
                case SYMLINK -> tar.symlink(e.path(), e.linkTarget());
                case FILE -> {
                    try (InputStream in = Files.newInputStream(root.resolve(e.path()))) {
                        tar.file(e.path(), e.mode(), e.size(), in);
                    }
                }
            }
        }
        tar.finish();
    }

    /** A minimal deterministic ustar writer with PAX headers for long names. */
    static final class TarWriter {
        private final OutputStream out;

        TarWriter(OutputStream out) {
            this.out = out;
        }

        void dir(String name, int mode) throws IOException {
            header(name, mode, 0, '5', "");
        }

        void symlink(String name, String target) throws IOException {
            header(name, 0777, 0, '2', target);
        }

        void file(String name, int mode, long size, InputStream in) throws IOException {
            header(name, mode, size, '0', "");
            byte[] buf = new byte[65536];
            long left = size;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException(name + " shrank while it was being sent");
                }
                out.write(buf, 0, r);
                left -= r;
            }
            pad(size);
        }

        void finish() throws IOException {
            out.write(new byte[1024]);
            out.flush();
        }

        private void pad(long size) throws IOException {
            int rem = (int) (size % 512);
            if (rem != 0) {
                out.write(new byte[512 - rem]);
            }
        }

        private void header(String name, int mode, long size, char type, String link) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100 || linkBytes.length > 100) {
                StringBuilder pax = new StringBuilder();
                if (nameBytes.length > 100) {
                    pax.append(paxRecord("path", name));
                }
                if (linkBytes.length > 100) {
                    pax.append(paxRecord("linkpath", link));
                }
                byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
                raw("PaxHeaders/" + Math.abs(name.hashCode()), 0644, body.length, 'x', "");
                out.write(body);
                pad(body.length);
            }
            raw(name, mode, size, type, link);
        }

        private static String paxRecord(String key, String value) {
            int len = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3;
            int digits = String.valueOf(len).length();
            int total = len + digits;
            if (String.valueOf(total).length() != digits) {
                total++;
            }
            return total + " " + key + "=" + value + "\n";
        }

        private void raw(String name, int mode, long size, char type, String link) throws IOException {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, 0);
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            h[263] = '0';
            h[264] = '0';
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            String s = String.format("%06o", sum);
            put(h, 148, 6, s);
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(len, b.length));
        }

        private static void octal(byte[] h, int off, int len, long v) {
            String s = Long.toOctalString(v);
            String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
            put(h, off, len - 1, padded);
        }
    }

    /** Files of the context a path or glob selects (for COPY): see {@link CopySources}. */
    public List<Entry> under(String dir) {
        List<Entry> out = new ArrayList<>();
        String prefix = dir.isEmpty() || dir.equals(".") ? "" : dir + "/";
        for (Entry e : entries.values()) {
            if (prefix.isEmpty() || e.path().startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }
}
