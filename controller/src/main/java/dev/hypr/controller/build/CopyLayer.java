package dev.hypr.controller.build;

import dev.hypr.controller.image.layer.TarReader;
import dev.hypr.controller.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The layer of a COPY: the files it takes (from the build context directory, or from an
 * earlier stage's merged filesystem tar), with their new names, owner and mode. Docker's rules:
 * a directory source copies its contents; a file goes to {@code dest/NAME} when dest ends in
 * {@code /} or there are several sources, else to dest itself. Symlinks are copied as links, never
 * followed, so nothing outside the context is read.
 */
public final class CopyLayer {
    /** One file of the layer: its name in the image and where its content comes from. */
    record Item(String name, Path source, char type, int mode, long uid, long gid, String link, FileTime mtime) {
    }

    private final List<Item> items;
    private final String contentHash;

    private CopyLayer(List<Item> items, String contentHash) {
        this.items = items;
        this.contentHash = contentHash;
    }

    /** Digest of names, types, modes, owners, link targets and contents: no mtimes. Part of the step's cache key. */
    public String contentHash() {
        return contentHash;
    }

    public int fileCount() {
        return items.size();
    }

    /**
     * Collects what {@code copy} takes from the context directory. {@code owner} is the numeric
     * "uid:gid" of --chown, if any. Throws for a source that is missing or outside the context.
     */
    public static CopyLayer fromContext(Path context, BuildStep.Copy copy, String workingDir, Optional<long[]> owner)
            throws IOException, BuildFailedException, InterruptedException {
        return fromContext(context, copy, workingDir, owner, null);
    }

    /**
     * As above; {@code scratch} (a directory removed after the step) receives ADD's downloads and
     * the files of here-documents. ADD unpacks a local file whose content is a tar (plain, gzip,
     * bzip2, xz or zstd) into the destination directory; a URL is downloaded, never unpacked.
     */
    public static CopyLayer fromContext(Path context, BuildStep.Copy copy, String workingDir, Optional<long[]> owner, Path scratch)
            throws IOException, BuildFailedException, InterruptedException {
        Path root = context.toRealPath();
        List<Path> sources = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (String src : copy.sources()) {
            if (copy.add() && DockerfilePlanner.isUrl(src)) {
                urls.add(src);
                continue;
            }
            String rel = stripSlashes(src);
            if (rel.contains("*") || rel.contains("?") || rel.contains("[")) {
                sources.addAll(glob(root, rel, copy));
                continue;
            }
            Path p = root.resolve(rel.isEmpty() ? "." : rel).normalize();
            if (!p.startsWith(root)) {
                throw new BuildFailedException(copy.text() + ": source \"" + src + "\" is outside the build context");
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new BuildFailedException(copy.text() + ": source \"" + src + "\" not found in the build context");
            }
            if (!p.toRealPath().startsWith(root)) {
                throw new BuildFailedException(copy.text() + ": source \"" + src + "\" leads outside the build context through a symlink");
            }
            sources.add(p);
        }
        String dest = absolute(copy.dest(), workingDir);
        boolean intoDir = copy.dest().endsWith("/") || sources.size() + urls.size() + copy.inline().size() > 1;
        List<Item> items = new ArrayList<>();
        for (Path p : sources) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                        if (f.equals(p)) continue;
                        items.add(item(join(dest, p.relativize(f).toString()), f, copy, owner));
                    }
                }
            } else if (copy.add() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && LocalArchive.isTar(p)) {
                Item file = item(dest, p, copy, owner);
                items.add(new Item(dest, p, 'A', file.mode, file.uid, file.gid, owner.isPresent() ? "chown" : null, file.mtime));
            } else {
                String name = intoDir ? join(dest, p.getFileName().toString()) : stripSlashes(dest);
                items.add(item(name, p, copy, owner));
            }
        }
        for (String url : urls) {
            Path file = Files.createTempFile(requireScratch(scratch, copy), "add-", "");
            RemoteFile.Downloaded got = RemoteFile.fetch(url, copy.checksum(), file, copy.text());
            String base = RemoteFile.fileName(url);
            if (intoDir && base.isEmpty()) {
                throw new BuildFailedException(copy.text() + ": cannot tell a file name from " + url + "; give a destination file");
            }
            String name = intoDir ? join(dest, base) : stripSlashes(dest);
            items.add(new Item(name, file, '0', copy.chmod().orElse(0600), owner.map(u -> u[0]).orElse(0L),
                    owner.map(u -> u[1]).orElse(0L), null, Files.getLastModifiedTime(file)));
        }
        for (BuildStep.InlineFile doc : copy.inline()) {
            Path file = Files.createTempFile(requireScratch(scratch, copy), "heredoc-", "");
            Files.writeString(file, doc.content(), StandardCharsets.UTF_8);
            String name = intoDir ? join(dest, doc.name()) : stripSlashes(dest);
            items.add(new Item(name, file, '0', copy.chmod().orElse(0644), owner.map(u -> u[0]).orElse(0L),
                    owner.map(u -> u[1]).orElse(0L), null, FileTime.fromMillis(0)));
        }
        MessageDigest sha = Digest.sha256();
        for (Item i : items) {
            sha.update((i.name + "\0" + i.type + "\0" + Integer.toOctalString(i.mode) + "\0" + i.uid + ":" + i.gid
                    + "\0" + (i.link == null ? "" : i.link) + "\0").getBytes(StandardCharsets.UTF_8));
            if (i.type == '0' || i.type == 'A') sha.update(fileDigest(i.source));
            sha.update((byte) '\n');
        }
        return new CopyLayer(items, HexFormat.of().formatHex(sha.digest()));
    }

    /** Writes the layer tar (sorted by name, mtimes kept). */
    public void writeTar(Path out) throws IOException {
        try (OutputStream o = Files.newOutputStream(out); TarArchiveOutputStream tar = newTar(o)) {
            for (Item i : items.stream().sorted(java.util.Comparator.comparing(Item::name)).toList()) {
                if (i.type == 'A') {
                    LocalArchive.unpack(i.source, i.name, i.link == null ? Optional.empty() : Optional.of(new long[] {i.uid, i.gid}), tar);
                    continue;
                }
                TarArchiveEntry e = new TarArchiveEntry(i.type == '5' ? i.name + "/" : i.name,
                        i.type == '5' ? TarConstants.LF_DIR : i.type == '2' ? TarConstants.LF_SYMLINK : TarConstants.LF_NORMAL, false);
                e.setMode(i.mode);
                e.setUserId(i.uid);
                e.setGroupId(i.gid);
                e.setLastModifiedTime(i.mtime);
                if (i.type == '2') e.setLinkName(i.link);
                if (i.type == '0') e.setSize(Files.size(i.source));
                tar.putArchiveEntry(e);
                if (i.type == '0') Files.copy(i.source, tar);
                tar.closeArchiveEntry();
            }
        }
    }

    /**
     * COPY --from: takes the sources out of {@code stageTar} (a stage's merged filesystem) into
     * {@code out}. Returns how many entries were copied; throws when a source matched nothing.
     */
    public static int fromStageTar(Path stageTar, BuildStep.Copy copy, String workingDir, Optional<long[]> owner, Path out)
            throws IOException, BuildFailedException {
        String dest = absolute(copy.dest(), workingDir);
        boolean intoDir = copy.dest().endsWith("/") || copy.sources().size() > 1;
        List<String> srcs = copy.sources().stream().map(CopyLayer::stripSlashes).toList();
        int[] matched = new int[srcs.size()];
        int count = 0;
        try (InputStream in = Files.newInputStream(stageTar); OutputStream o = Files.newOutputStream(out);
             TarArchiveOutputStream tar = newTar(o)) {
            TarReader reader = new TarReader(in);
            byte[] buf = new byte[1 << 16];
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                String name = stripSlashes(e.name());
                for (int s = 0; s < srcs.size(); s++) {
                    String src = srcs.get(s);
                    String target;
                    if (name.equals(src) || src.isEmpty() && !name.isEmpty()) {
                        if (e.type() == '5') {
                            matched[s]++;
                            if (src.isEmpty()) target = join(dest, name); else continue; // a directory copies its contents
                        } else {
                            target = src.isEmpty() ? join(dest, name) : intoDir ? join(dest, baseName(name)) : stripSlashes(dest);
                        }
                    } else if (!src.isEmpty() && name.startsWith(src + "/")) {
                        target = join(dest, name.substring(src.length() + 1));
                    } else {
                        continue;
                    }
                    matched[s]++;
                    char type = e.type();
                    byte flag = switch (type) {
                        case '5' -> TarConstants.LF_DIR;
                        case '2' -> TarConstants.LF_SYMLINK;
                        case '1' -> TarConstants.LF_LINK;
                        case '0' -> TarConstants.LF_NORMAL;
                        default -> (byte) 0;
                    };
                    if (flag == 0) break; // devices and fifos are not copied
                    TarArchiveEntry t = new TarArchiveEntry(type == '5' ? target + "/" : target, flag, false);
                    t.setMode(copy.chmod().orElse(e.mode()));
                    t.setUserId(owner.map(u -> u[0]).orElse(e.uid()));
                    t.setGroupId(owner.map(u -> u[1]).orElse(e.gid()));
                    t.setLastModifiedTime(FileTime.from(e.mtime(), java.util.concurrent.TimeUnit.SECONDS));
                    if (type == '2') t.setLinkName(e.linkName());
                    if (type == '1') t.setLinkName(join(dest, e.linkName()));
                    if (type == '0') t.setSize(e.size());
                    tar.putArchiveEntry(t);
                    if (type == '0') {
                        for (int n; (n = reader.read(buf, 0, buf.length)) > 0; ) tar.write(buf, 0, n);
                    }
                    tar.closeArchiveEntry();
                    count++;
                    break;
                }
            }
        }
        for (int s = 0; s < srcs.size(); s++) {
            if (matched[s] == 0) {
                throw new BuildFailedException(copy.text() + ": source \"" + copy.sources().get(s) + "\" not found in stage "
                        + copy.fromStage().orElse("?"));
            }
        }
        return count;
    }

    private static Path requireScratch(Path scratch, BuildStep.Copy copy) throws BuildFailedException {
        if (scratch == null) throw new BuildFailedException(copy.text() + ": needs a scratch directory (internal error)");
        return scratch;
    }

    /** A tar writer that keeps long names, big ids and sizes (PAX). */
    static TarArchiveOutputStream newTar(OutputStream o) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(o);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /** {@code dest} as a clean path relative to / (WORKDIR applied), without leading or trailing slashes. */
    static String absolute(String dest, String workingDir) {
        String d = dest.startsWith("/") ? dest : (workingDir.isEmpty() ? "/" : workingDir) + "/" + dest;
        return stripSlashes(Path.of("/").resolve(stripSlashes(d)).normalize().toString());
    }

    static String stripSlashes(String s) {
        String out = s.startsWith("./") ? s.substring(2) : s;
        while (out.startsWith("/")) out = out.substring(1);
        while (out.endsWith("/")) out = out.substring(0, out.length() - 1);
        return out.equals(".") ? "" : out;
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static String baseName(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    private static List<Path> glob(Path root, String pattern, BuildStep.Copy copy) throws IOException, BuildFailedException {
        Path parent = root.resolve(pattern).normalize().getParent();
        if (parent == null || !parent.startsWith(root) || !Files.isDirectory(parent)) {
            throw new BuildFailedException(copy.text() + ": source \"" + pattern + "\" not found in the build context");
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(pattern).getFileName());
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) if (m.matches(p.getFileName())) out.add(p);
        }
        if (out.isEmpty()) {
            throw new BuildFailedException(copy.text() + ": no source matches \"" + pattern + "\" in the build context");
        }
        out.sort(null);
        return out;
    }

    private static Item item(String name, Path f, BuildStep.Copy copy, Optional<long[]> owner) throws IOException {
        char type = Files.isSymbolicLink(f) ? '2' : Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? '5' : '0';
        int mode = type == '2' ? 0777 : copy.chmod().orElse(mode(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)));
        long uid = owner.map(u -> u[0]).orElse(0L);
        long gid = owner.map(u -> u[1]).orElse(0L);
        String link = type == '2' ? Files.readSymbolicLink(f).toString() : null;
        return new Item(name, f, type, mode, uid, gid, link, Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS));
    }

    private static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return m;
    }

    private static byte[] fileDigest(Path f) throws IOException {
        MessageDigest sha = Digest.sha256();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return sha.digest();
    }
}
