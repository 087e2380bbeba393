package dev.hypr.controller.image.layer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar layers in memory, including ones no honest tool would write. */
final class TarBuilder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);
    private boolean finished;

    TarBuilder() {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name) throws IOException {
        return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), null);
    }

    TarBuilder file(String name, String content) throws IOException {
        return file(name, content, 0644, 0, 0);
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve leading '/' and '..' as given
        e.setMode(mode);
        e.setIds(uid, gid);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        return put(e, data);
    }

    TarBuilder bigFile(String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        out.putArchiveEntry(e);
        byte[] zeros = new byte[1 << 16];
        for (long left = size; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
        out.closeArchiveEntry();
        return this;
    }

    TarBuilder symlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder hardlink(String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder dir(String name, int mode, int uid, int gid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(mode);
        e.setIds(uid, gid);
        return put(e, null);
    }

    /**
     * A file preceded by a PAX header written byte for byte, as Go's archive/tar writes
     * {@code SCHILY.xattr.*}: raw values, which Commons Compress cannot write itself.
     */
    TarBuilder fileWithXattrs(String name, String content, Map<String, byte[]> xattrs) throws IOException {
        ByteArrayOutputStream pax = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            byte[] body = ("SCHILY.xattr." + x.getKey() + "=").getBytes(StandardCharsets.UTF_8);
            int len = body.length + x.getValue().length + 1;
            int total = len + Integer.toString(len).length() + 1;
            if (Integer.toString(total).length() != Integer.toString(len).length()) {
                total++;
            }
            pax.write((total + " ").getBytes(StandardCharsets.UTF_8));
            pax.write(body);
            pax.write(x.getValue());
            pax.write('\n');
        }
        return rawPax(pax.toByteArray()).file(name, content);
    }

    /** An 'x' header holding exactly these bytes; it applies to the next entry. */
    TarBuilder rawPax(byte[] records) throws IOException {
        return rawHeader(TarConstants.LF_PAX_EXTENDED_HEADER_LC, records);
    }

    /** A header of this type ('x', 'g', 'L', ...) holding exactly these bytes, written past Commons Compress, which would interpret them. */
    TarBuilder rawHeader(byte type, byte[] records) throws IOException {
        TarArchiveEntry h = new TarArchiveEntry("./PaxHeaders/x", TarConstants.LF_NORMAL, true);
        h.setSize(records.length);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        byte[] block = new byte[512];
        h.writeEntryHeader(block);
        block[156] = type;
        java.util.Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, block, 148, 8);
        header.write(block);
        header.write(records);
        header.write(new byte[(512 - records.length % 512) % 512]);
        out.flush(); // every earlier entry is complete (whole 512-byte records), so raw records can follow
        bytes.write(header.toByteArray());
        return this;
    }

    /** Any entry, as given. */
    TarBuilder add(TarArchiveEntry e, byte[] data) throws IOException {
        return put(e, data);
    }

    TarBuilder entry(String name, byte type) throws IOException {
        return put(new TarArchiveEntry(name, type, true), null);
    }

    TarBuilder charDevice(String name, int major, int minor) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(0666);
        return put(e, null);
    }

    private TarBuilder put(TarArchiveEntry e, byte[] data) throws IOException {
        out.putArchiveEntry(e);
        if (data != null) {
            out.write(data);
        }
        out.closeArchiveEntry();
        return this;
    }

    InputStream stream() throws IOException {
        return new ByteArrayInputStream(bytes());
    }

    byte[] bytes() throws IOException {
        if (!finished) {
            out.finish();
            finished = true;
        }
        return bytes.toByteArray();
    }

    /** This tar as one layer of an image; it can be opened any number of times. */
    LayerSource layer(String label) throws IOException {
        byte[] tar = bytes();
        return new LayerSource() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(tar);
            }
        };
    }

    /** The given tars as an image's layers, bottom first, labelled "i/n" as a pull labels them. */
    static List<LayerSource> image(TarBuilder... layers) throws IOException {
        List<LayerSource> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            out.add(layers[i].layer((i + 1) + "/" + layers.length));
        }
        return out;
    }
}
