package dev.hypr.controller.image.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Merges an image's layers into one tar stream, reading them from the top layer down, so the
 * rootfs is never unpacked to disk: each path is written once, by the highest layer that has it.
 *
 * <p>OCI layer rules: an entry of layer k is written unless a higher layer wrote the same path,
 * whited it out ({@code .wh.NAME} hides NAME and everything under it in lower layers), made an
 * ancestor opaque ({@code .wh..wh..opq}: lower layers' children are hidden, the same layer's are
 * not) or wrote an ancestor as a non-directory. Whiteout markers are never written. A directory
 * takes the highest layer's metadata; one that only appears as a parent gets 0755 root (the
 * squashfs builder's default). The root entry is ignored, as before.
 *
 * <p>Hard links: tar2sqfs resolves a link only to a name it has seen as a regular file, so a link
 * is always written after the file holding its data. A link in layer k points at its target as
 * layer k saw it (docker and containerd apply layers in order, so the link shares the inode of
 * that version even when a higher layer later replaces or deletes the target name): a target
 * earlier in the same layer, otherwise the target in the highest lower layer that has it, unless
 * a layer in between whited it out. When that version of the target is not itself visible, the
 * first visible link carries the data (a file with the target's header under the link's name) and
 * the other links point at it; when the data already went by in a hidden entry of the same layer,
 * that layer is read a second time for it. A link to something absent, or not a regular file, is
 * rejected, as extraction would fail on it.
 *
 * <p>Safety, same policy as extraction had (nothing is written to the host at all now): names with
 * {@code ..} are rejected; paths under a symlink of the same layer are rejected ("goes through
 * symlink"), and so is a lower layer's symlink or file where a higher layer put children without
 * declaring the directory; hard-link targets follow the same rules; totals are bounded by
 * {@link ExtractionBudget}. Device nodes and fifos go into the squashfs only. Extended attributes
 * of the namespaces squashfs stores (user, trusted, security) are carried, byte for byte; others
 * (system.*, ACLs) are dropped, as mksquashfs does.
 */
public final class LayerMerger {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final List<String> XATTR_NAMESPACES = List.of("user.", "trusted.", "security.");

    /** The merged tree at one path, from the layers processed so far (all at or above the current one). */
    private static final class Node {
        static final byte NONE = 0;
        static final byte IMPLICIT = 1;
        static final byte DIR = 2;
        static final byte FILE = 3;
        static final byte SYMLINK = 4;
        byte kind = NONE;
        /** the layer that wrote (or reserved) the path; for IMPLICIT the layer whose entry needed the directory */
        int layer = -1;
        /** highest layer whose whiteout hides this path, and what is under it, in lower layers */
        int whiteout = -1;
        /** highest layer whose opaque marker hides this directory's children in lower layers */
        int opaque = -1;
        /** IMPLICIT: the entry that needed the directory, for messages */
        String cause;
    }

    /** A path as the current layer declares it, visible or not. */
    private record Seen(char type, String symlinkTarget, Object inode, boolean written) {
    }

    /** A regular file of the current layer: its data, and the names that share it. */
    private static final class Inode {
        final int ordinal;
        String writtenAs;
        final List<String> waiting = new ArrayList<>(1);

        Inode(int ordinal) {
            this.ordinal = ordinal;
        }
    }

    /** A hard link of the current layer to a path of a lower layer. */
    private record Lower(String path) {
    }

    /** A visible hard link waiting for its target in a lower layer; {@code where} prefixes messages. */
    private record Pending(String name, int layer, String where) {
    }

    /** A rejection already labelled with its layer and entry. */
    private static final class Labelled extends LayerRejectedException {
        Labelled(String message) {
            super(message);
        }
    }

    private final ExtractionBudget budget;
    private final Map<String, Node> nodes = new HashMap<>();
    private final TreeMap<String, List<Pending>> pending = new TreeMap<>();
    private final List<String> mustExist = new ArrayList<>();
    private TarArchiveOutputStream out;
    private final byte[] buffer = new byte[1 << 16];

    private List<LayerSource> layers;
    private int layer;
    private String label;
    private Map<String, Seen> seen;
    private List<String[]> cuts;
    private List<Inode> needData;

    public LayerMerger(ExtractionBudget budget) {
        this.budget = budget;
    }

    /**
     * Writes the merged tar of {@code layers} (bottom first, as in the manifest) to {@code sink},
     * which it does not close. Layer k-1 is opened and decompressed ahead while layer k is merged.
     */
    public void merge(List<LayerSource> layers, OutputStream sink) throws IOException {
        this.layers = layers;
        out = new TarArchiveOutputStream(sink, StandardCharsets.UTF_8.name());
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
        ReadAhead[] streams = new ReadAhead[layers.size()];
        try {
            for (int k = layers.size() - 1; k >= 0; k--) {
                if (streams[k] == null) {
                    streams[k] = new ReadAhead(layers.get(k));
                }
                if (k > 0) {
                    streams[k - 1] = new ReadAhead(layers.get(k - 1));
                }
                mergeLayer(k, layers.get(k), streams[k]);
                streams[k].close();
                streams[k] = null;
            }
            finish();
        } finally {
            for (ReadAhead s : streams) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private void mergeLayer(int k, LayerSource source, InputStream in) throws IOException {
        layer = k;
        label = source.label();
        call(source, () -> {
            source.merging();
            return null;
        });
        seen = new HashMap<>();
        cuts = new ArrayList<>();
        needData = new ArrayList<>();
        TarReader tar = new TarReader(in);
        int ordinal = 0;
        while (true) {
            TarReader.Entry e;
            try {
                e = tar.next();
            } catch (LayerRejectedException ex) {
                throw new Labelled("layer " + label + ": " + ex.getMessage());
            }
            if (e == null) {
                break;
            }
            try {
                budget.addEntry();
                entry(tar, e, ordinal++);
            } catch (Labelled ex) {
                throw ex;
            } catch (LayerRejectedException ex) {
                throw new Labelled(where(e) + ": " + ex.getMessage());
            }
        }
        if (!needData.isEmpty()) {
            reread(source);
        }
        for (String[] cut : cuts) {
            danglingUnder(cut[0], cut[1] != null);
        }
    }

    private void entry(TarReader tar, TarReader.Entry e, int ordinal) throws IOException {
        String rel = normalise(e.name());
        int slash = rel.lastIndexOf('/');
        String base = rel.substring(slash + 1);
        String parent = slash < 0 ? "" : rel.substring(0, slash);
        if (base.equals(OPAQUE)) {
            sameLayerParents(rel);
            opaque(parent, rel);
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new LayerRejectedException("whiteout names no file");
            }
            sameLayerParents(rel);
            String path = parent.isEmpty() ? hidden : parent + "/" + hidden;
            Node n = nodes.computeIfAbsent(path, p -> new Node());
            if (n.whiteout < 0) {
                n.whiteout = layer;
            }
            cuts.add(new String[] {path, null});
            return;
        }
        if (rel.isEmpty()) {
            if (e.type() != '5') {
                throw new LayerRejectedException("cannot replace the rootfs itself with a non-directory");
            }
            return; // the root's own metadata is the squashfs default (0755 root)
        }
        if (e.type() == '1' && normalise(e.linkName()).equals(rel)) {
            return; // a link to itself changes nothing, as extraction found
        }
        sameLayerParents(rel);
        Seen before = seen.get(rel);
        if (before != null && before.written()) {
            if (before.type() == '5' && e.type() == '5') {
                return; // a directory listed twice: the first listing's metadata stays
            }
            throw new LayerRejectedException("the layer has this path twice; hypr merges layers as a stream and cannot take back"
                    + " the first one");
        }
        boolean visible = visible(rel, e);
        danglingBelow(rel, e);
        switch (e.type()) {
            case '0' -> regularFile(tar, e, rel, ordinal, visible);
            case '1' -> hardLink(e, rel, visible);
            default -> {
                if (!pendingAt(rel).isEmpty()) {
                    Pending p = pendingAt(rel).get(0);
                    throw new Labelled(p.where() + " is not a regular file already in the rootfs");
                }
                seen.put(rel, new Seen(e.type(), e.type() == '2' ? e.linkName() : null, null, visible));
                if (visible) {
                    reserve(rel, e.type() == '5' ? Node.DIR : e.type() == '2' ? Node.SYMLINK : Node.FILE);
                    write(rel, e, typeFlag(e.type()), 0);
                    out.closeArchiveEntry();
                }
            }
        }
    }

    private void regularFile(TarReader tar, TarReader.Entry e, String rel, int ordinal, boolean visible) throws IOException {
        budget.addBytes(e.size());
        Inode inode = new Inode(ordinal);
        seen.put(rel, new Seen('0', null, inode, visible));
        List<Pending> waiting = takePending(rel);
        if (visible) {
            reserve(rel, Node.FILE);
            writeData(rel, e, tar);
            inode.writtenAs = rel;
        } else if (!waiting.isEmpty()) {
            inode.writtenAs = waiting.remove(0).name(); // the target is hidden; its first visible link carries the data
            writeData(inode.writtenAs, e, tar);
        }
        for (Pending p : waiting) {
            writeLink(p.name(), inode.writtenAs);
        }
    }

    private void hardLink(TarReader.Entry e, String rel, boolean visible) throws IOException {
        String target = normalise(e.linkName());
        if (target.isEmpty()) {
            throw new LayerRejectedException("hard link to the rootfs directory");
        }
        sameLayerParents(target);
        Seen t = seen.get(target);
        if (t != null && t.type() != '0' && t.type() != '1') {
            throw new LayerRejectedException("hard link target '" + e.linkName() + "' is not a regular file already in the rootfs");
        }
        Object inode = t != null ? t.inode() : new Lower(target);
        seen.put(rel, new Seen('1', null, inode, visible));
        List<String> names = new ArrayList<>();
        if (visible) {
            reserve(rel, Node.FILE);
            names.add(rel);
        }
        List<Pending> waiting = takePending(rel);
        if (inode instanceof Inode i) {
            waiting.forEach(p -> names.add(p.name()));
            for (String name : names) {
                if (i.writtenAs != null) {
                    writeLink(name, i.writtenAs);
                } else {
                    if (i.waiting.isEmpty()) {
                        needData.add(i);
                    }
                    i.waiting.add(name);
                }
            }
        } else {
            String lower = ((Lower) inode).path();
            if (visible) {
                addPending(lower, new Pending(rel, layer, where(e) + ": hard link target '" + e.linkName() + "'"));
            }
            for (Pending p : waiting) {
                addPending(lower, new Pending(p.name(), layer, p.where()));
            }
        }
    }

    /** Writes the data that hidden entries of this layer skipped but visible hard links need. */
    private void reread(LayerSource source) throws IOException {
        Map<Integer, Inode> byOrdinal = new HashMap<>();
        int last = 0;
        for (Inode i : needData) {
            byOrdinal.put(i.ordinal, i);
            last = Math.max(last, i.ordinal);
        }
        try (InputStream in = call(source, source::open)) {
            TarReader tar = new TarReader(in);
            int ordinal = 0;
            for (TarReader.Entry e; ordinal <= last && (e = tar.next()) != null; ordinal++) {
                Inode i = byOrdinal.get(ordinal);
                if (i != null) {
                    i.writtenAs = i.waiting.get(0);
                    writeData(i.writtenAs, e, tar);
                    for (String name : i.waiting.subList(1, i.waiting.size())) {
                        writeLink(name, i.writtenAs);
                    }
                }
            }
            if (ordinal <= last) {
                throw new EOFException("layer " + label + " ended early when read a second time");
            }
        }
    }

    /** One of {@code source}'s calls, its failures as I/O errors of the merge. */
    private static <T> T call(LayerSource source, Callable<T> step) throws IOException {
        try {
            return step.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening layer " + source.label());
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void finish() throws IOException {
        if (!pending.isEmpty()) {
            Pending p = pending.firstEntry().getValue().get(0);
            throw new Labelled(p.where() + " is not a regular file already in the rootfs");
        }
        for (String dir : mustExist) {
            Node n = nodes.get(dir);
            if (n.kind == Node.IMPLICIT) {
                TarReader.Entry d = new TarReader.Entry();
                d.mode = 0755;
                write(dir, d, TarConstants.LF_DIR, 0);
                out.closeArchiveEntry();
            }
        }
        out.finish();
        out.flush();
    }

    /** Whether a higher layer leaves {@code rel} of this layer in place; also checks what a higher layer's children need. */
    private boolean visible(String rel, TarReader.Entry e) throws LayerRejectedException {
        if (hiddenParents(rel)) {
            return false;
        }
        Node n = nodes.get(rel);
        if (n == null || n.whiteout > layer) {
            return n == null;
        }
        if (n.kind == Node.IMPLICIT) {
            if (e.type() == '2') {
                throw new LayerRejectedException("'" + n.cause + "' of layer " + layers.get(n.layer).label() + " goes through symlink '" + rel
                        + "' -> '" + e.linkName() + "'; writing through links could escape the rootfs");
            }
            if (e.type() != '5') {
                throw new LayerRejectedException("'" + rel + "' is not a directory, but '" + n.cause + "' of layer "
                        + layers.get(n.layer).label() + " is under it");
            }
            return true;
        }
        return n.kind == Node.NONE;
    }

    /** Marks {@code rel} as written by this layer, and its parents as (at least implicit) directories. */
    private void reserve(String rel, byte kind) {
        Node n = nodes.computeIfAbsent(rel, p -> new Node());
        n.kind = kind;
        n.layer = layer;
        n.cause = null;
        for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
            Node a = nodes.computeIfAbsent(rel.substring(0, i), p -> new Node());
            if (a.kind == Node.NONE) {
                a.kind = Node.IMPLICIT;
                a.layer = layer;
                a.cause = rel;
            }
        }
    }

    private void opaque(String dir, String rel) {
        Node n = nodes.computeIfAbsent(dir, p -> new Node());
        if (n.opaque < 0) {
            n.opaque = layer;
        }
        cuts.add(new String[] {dir, "opaque"});
        // the marker implies the directory, as extraction created it; it is written at the end if nothing else does
        if (!dir.isEmpty() && n.kind == Node.NONE && n.whiteout <= layer && !hiddenParents(dir)) {
            reserve(dir, Node.IMPLICIT);
            n.cause = rel;
            mustExist.add(dir);
        }
    }

    /** Whether a higher layer hides everything under one of {@code rel}'s parents (whiteout, opaque dir, file or link). */
    private boolean hiddenParents(String rel) {
        Node root = nodes.get("");
        if (root != null && root.opaque > layer) {
            return true;
        }
        for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
            Node a = nodes.get(rel.substring(0, i));
            if (a != null && (a.whiteout > layer || a.opaque > layer
                    || (a.kind == Node.FILE || a.kind == Node.SYMLINK) && a.layer > layer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parents of {@code rel} as this layer itself declares them must be directories: writing under
     * a symlink of the same layer is what extraction would have done through the link.
     */
    private void sameLayerParents(String rel) throws LayerRejectedException {
        for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
            String a = rel.substring(0, i);
            Seen s = seen.get(a);
            if (s != null && s.type() != '5') {
                if (s.type() == '2') {
                    throw new LayerRejectedException("path goes through symlink '" + a + "' -> '" + s.symlinkTarget()
                            + "'; writing through links could escape the rootfs");
                }
                throw new LayerRejectedException("'" + a + "' is not a directory");
            }
        }
    }

    /** A non-directory here cannot be the parent of a target that higher layers' links wait for. */
    private void danglingBelow(String rel, TarReader.Entry e) throws LayerRejectedException {
        if (e.type() == '5' || pending.isEmpty()) {
            return;
        }
        for (List<Pending> ps : pending.subMap(rel + "/", true, rel + "/\uffff", true).values()) {
            for (Pending p : ps) {
                if (p.layer() > layer) {
                    throw new Labelled(p.where() + (e.type() == '2' ? " goes through symlink '" + rel + "' -> '" + e.linkName()
                            + "' of layer " + label + "; writing through links could escape the rootfs"
                            : " is under '" + rel + "', which layer " + label + " has as a non-directory"));
                }
            }
        }
    }

    /** After this layer: links from higher layers whose target it whited out (and did not re-add) have nothing to point at. */
    private void danglingUnder(String path, boolean childrenOnly) throws LayerRejectedException {
        if (pending.isEmpty()) {
            return;
        }
        String prefix = path.isEmpty() ? "" : path + "/";
        List<List<Pending>> hit = new ArrayList<>(pending.subMap(prefix, true, prefix + "\uffff", true).values());
        if (!childrenOnly && pending.containsKey(path)) {
            hit.add(pending.get(path));
        }
        for (List<Pending> ps : hit) {
            for (Pending p : ps) {
                if (p.layer() > layer) {
                    throw new Labelled(p.where() + " was deleted by layer " + label + " (a whiteout) before the link was made");
                }
            }
        }
    }

    private List<Pending> pendingAt(String path) {
        List<Pending> ps = pending.get(path);
        if (ps == null) {
            return List.of();
        }
        return ps.stream().filter(p -> p.layer() > layer).toList();
    }

    /** Removes and returns the links of higher layers waiting for {@code path}. */
    private List<Pending> takePending(String path) {
        List<Pending> ps = pending.get(path);
        List<Pending> taken = new ArrayList<>();
        if (ps == null) {
            return taken;
        }
        for (Iterator<Pending> it = ps.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.layer() > layer) {
                taken.add(p);
                it.remove();
            }
        }
        if (ps.isEmpty()) {
            pending.remove(path);
        }
        return taken;
    }

    private void addPending(String target, Pending p) {
        pending.computeIfAbsent(target, t -> new ArrayList<>()).add(p);
    }

    private void writeData(String name, TarReader.Entry e, TarReader tar) throws IOException {
        write(name, e, TarConstants.LF_NORMAL, e.size());
        long left = e.size();
        while (left > 0) {
            int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("layer " + label + " ended inside '" + e.name() + "'");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        out.closeArchiveEntry();
    }

    private void writeLink(String name, String target) throws IOException {
        TarArchiveEntry t = new TarArchiveEntry(name, TarConstants.LF_LINK, false);
        t.setLinkName(target);
        out.putArchiveEntry(t);
        out.closeArchiveEntry();
    }

    /** Puts the header; the caller writes the data, if any, and closes the entry. */
    private void write(String name, TarReader.Entry e, byte flag, long size) throws IOException {
        TarArchiveEntry t = new TarArchiveEntry(flag == TarConstants.LF_DIR ? name + "/" : name, flag, false);
        t.setMode(e.mode());
        t.setUserId(e.uid());
        t.setGroupId(e.gid());
        t.setLastModifiedTime(FileTime.from(e.mtime(), TimeUnit.SECONDS));
        t.setSize(size);
        if (flag == TarConstants.LF_SYMLINK) {
            t.setLinkName(e.linkName());
        }
        if (flag == TarConstants.LF_CHR || flag == TarConstants.LF_BLK) {
            t.setDevMajor(e.devMajor());
            t.setDevMinor(e.devMinor());
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            if (XATTR_NAMESPACES.stream().anyMatch(x.getKey()::startsWith)) {
                // tar2sqfs decodes LIBARCHIVE.xattr (URL-encoded name, base64 value): binary-safe through a String API
                t.addPaxHeader("LIBARCHIVE.xattr." + urlEncode(x.getKey()), Base64.getEncoder().encodeToString(x.getValue()));
            }
        }
        out.putArchiveEntry(t);
    }

    private static byte typeFlag(char type) {
        return switch (type) {
            case '2' -> TarConstants.LF_SYMLINK;
            case '3' -> TarConstants.LF_CHR;
            case '4' -> TarConstants.LF_BLK;
            case '5' -> TarConstants.LF_DIR;
            case '6' -> TarConstants.LF_FIFO;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private String where(TarReader.Entry e) {
        return "layer " + label + ": entry '" + e.name() + "'";
    }

    private static String urlEncode(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
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
