package dev.hypr.controller.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import dev.hypr.controller.util.FileTrees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies OCI layers, bottom first, to a directory: regular files, directories, symlinks, hard
 * links, whiteouts ({@code .wh.name}) and opaque directories ({@code .wh..wh..opq}). Ownership,
 * modes, times and device nodes go to {@link RootfsMetadata}, never to the host.
 *
 * <p>Containment: a name with a {@code ..} component is rejected, absolute names are taken as
 * relative to the rootfs, no write or deletion goes through a symlink already in the rootfs
 * (parents are checked component by component without following links, and files are opened
 * with NOFOLLOW), hard links must point at a regular file inside the rootfs, and total size and
 * entry count are bounded by an {@link ExtractionBudget}.
 */
public final class LayerApplier {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path root;
    private final RootfsMetadata metadata;
    private final ExtractionBudget budget;

    public LayerApplier(Path root, RootfsMetadata metadata, ExtractionBudget budget) {
        this.root = root;
        this.metadata = metadata;
        this.budget = budget;
    }

    /** Applies one uncompressed tar layer. {@code layerName} only labels error messages. */
    public void apply(InputStream tar, String layerName) throws IOException {
        Set<String> writtenByThisLayer = new HashSet<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
            try {
                budget.addEntry();
                applyEntry(in, e, writtenByThisLayer);
            } catch (LayerRejectedException ex) {
                throw new LayerRejectedException("layer " + layerName + ": entry '" + e.getName() + "': " + ex.getMessage());
            }
        }
    }

    private void applyEntry(InputStream in, TarArchiveEntry e, Set<String> written) throws IOException {
        String rel = normalise(e.getName());
        String base = rel.substring(rel.lastIndexOf('/') + 1);
        String parentRel = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
        if (base.equals(OPAQUE)) {
            clearChildren(directory(parentRel, true), parentRel, written);
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new LayerRejectedException("whiteout names no file");
            }
            Path dir = directory(parentRel, false);
            if (dir != null) { // hiding something absent is a no-op, as in Docker
                FileTrees.deleteRecursively(dir.resolve(hidden));
            }
            metadata.removeTree(parentRel.isEmpty() ? hidden : parentRel + "/" + hidden);
            return;
        }
        if (rel.isEmpty()) {
            if (!e.isDirectory()) {
                throw new LayerRejectedException("cannot replace the rootfs itself with a non-directory");
            }
            return; // the root's own metadata is the squashfs default (0755 root)
        }
        Path target = directory(parentRel, true).resolve(base);
        written.add(rel);
        if (e.isDirectory()) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                FileTrees.deleteRecursively(target);
                Files.createDirectory(target);
            }
            record(rel, 'D', e);
        } else if (e.isSymbolicLink()) {
            FileTrees.deleteRecursively(target);
            // The link target is interpreted inside the guest; it is never followed here.
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            record(rel, 'M', e);
        } else if (e.isLink()) {
            hardLink(rel, target, e);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            FileTrees.deleteRecursively(target);
            record(rel, e.isFIFO() ? 'I' : e.isCharacterDevice() ? 'C' : 'B', e);
        } else if (e.isFile()) {
            FileTrees.deleteRecursively(target);
            copy(in, target);
            record(rel, 'M', e);
        } else {
            throw new LayerRejectedException("unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
        }
    }

    private void hardLink(String rel, Path target, TarArchiveEntry e) throws IOException {
        String linkRel = normalise(e.getLinkName());
        if (linkRel.isEmpty()) {
            throw new LayerRejectedException("hard link to the rootfs directory");
        }
        String linkParent = linkRel.contains("/") ? linkRel.substring(0, linkRel.lastIndexOf('/')) : "";
        Path parent = directory(linkParent, false);
        Path existing = parent == null ? null : parent.resolve(linkRel.substring(linkRel.lastIndexOf('/') + 1));
        if (existing == null || !Files.isRegularFile(existing, NOFOLLOW)) {
            throw new LayerRejectedException("hard link target '" + e.getLinkName()
                    + "' is not a regular file already in the rootfs");
        }
        if (existing.equals(target)) {
            return;
        }
        FileTrees.deleteRecursively(target);
        Files.createLink(target, existing);
        RootfsMetadata.Entry m = metadata.get(linkRel);
        if (m != null) {
            metadata.put(rel, m);
        }
    }

    private void copy(InputStream in, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                budget.addBytes(n);
                out.write(buf, 0, n);
            }
        } catch (FileAlreadyExistsException ex) {
            throw new LayerRejectedException("target exists after removal (concurrent modification?)");
        }
    }

    private void record(String rel, char type, TarArchiveEntry e) {
        metadata.put(rel, new RootfsMetadata.Entry(type, e.getMode(), e.getLongUserId(), e.getLongGroupId(),
                e.getLastModifiedDate().getTime() / 1000, e.getDevMajor(), e.getDevMinor()));
    }

    /**
     * The directory {@code rel} inside the rootfs, walked one component at a time without
     * following links: a symlink (or a file) on the way is rejected, because writing through it
     * could land outside. Missing directories are created when {@code create}, as tar does;
     * otherwise a missing directory gives null.
     */
    private Path directory(String rel, boolean create) throws IOException {
        Path p = root;
        if (rel.isEmpty()) {
            return p;
        }
        StringBuilder sofar = new StringBuilder();
        for (String c : rel.split("/")) {
            p = p.resolve(c);
            sofar.append(sofar.length() == 0 ? "" : "/").append(c);
            if (Files.isSymbolicLink(p)) {
                throw new LayerRejectedException("path goes through symlink '" + sofar + "' -> '"
                        + Files.readSymbolicLink(p) + "'; writing through links could escape the rootfs");
            }
            if (!Files.exists(p, NOFOLLOW)) {
                if (!create) {
                    return null;
                }
                Files.createDirectory(p);
                metadata.put(sofar.toString(), new RootfsMetadata.Entry('D', 0755, 0, 0, 0, 0, 0));
            } else if (!Files.isDirectory(p, NOFOLLOW)) {
                throw new LayerRejectedException("'" + sofar + "' is not a directory");
            }
        }
        return p;
    }

    private void clearChildren(Path dir, String dirRel, Set<String> written) throws IOException {
        try (var children = Files.list(dir)) {
            for (Path c : children.toList()) {
                String childRel = dirRel.isEmpty() ? c.getFileName().toString() : dirRel + "/" + c.getFileName();
                if (!written.contains(childRel)) {
                    FileTrees.deleteRecursively(c);
                }
            }
        }
        metadata.removeChildren(dirRel, written);
    }

    /**
     * A tar name as a clean relative path: leading {@code /} and {@code ./} dropped, empty and
     * {@code .} components removed; {@code ..} anywhere is rejected rather than resolved, since no
     * honest image builder emits it.
     */
    static String normalise(String name) throws LayerRejectedException {
        if (name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0) {
            throw new LayerRejectedException("file name contains a NUL or newline");
        }
        StringBuilder out = new StringBuilder();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new LayerRejectedException("path traversal: '..' in '" + name + "'");
            }
            out.append(out.length() == 0 ? "" : "/").append(c);
        }
        return out.toString();
    }

}
