package dev.hypr.controller.image.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming reader for the tar dialects image layers use: POSIX ustar, PAX extended headers
 * (per entry and global), GNU long names ({@code L}/{@code K}) and GNU base-256 numbers.
 *
 * <p>It exists because Commons Compress decodes every PAX value as UTF-8, which corrupts binary
 * extended attributes such as {@code security.capability} (written raw by Go's archive/tar as
 * {@code SCHILY.xattr.*}); here xattr values stay bytes. Sparse and multi-volume entries are
 * rejected rather than half-understood.
 */
public final class TarReader {
    static final int BLOCK = 512;
    /** PAX and GNU long-name payloads are small; a bigger one is a malformed or hostile layer. */
    private static final int MAX_META = 1 << 20;
    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new LinkedHashMap<>();
    private long remaining;
    private long padding;
    private boolean done;

    /** One entry's header, everything already merged from PAX and GNU extension records. */
    public static final class Entry {
        String name;
        String linkName = "";
        char type;
        long size;
        int mode;
        long uid;
        long gid;
        long mtime;
        int devMajor;
        int devMinor;
        final Map<String, byte[]> xattrs = new LinkedHashMap<>();

        public String name() {
            return name;
        }

        public String linkName() {
            return linkName;
        }

        /** The typeflag; regular files are always {@code '0'} and directories {@code '5'}, whatever the archive wrote. */
        public char type() {
            return type;
        }

        public long size() {
            return size;
        }

        /** Permission bits, setuid/setgid/sticky included (07777). */
        public int mode() {
            return mode;
        }

        public long uid() {
            return uid;
        }

        public long gid() {
            return gid;
        }

        /** Seconds since the epoch. */
        public long mtime() {
            return mtime;
        }

        public int devMajor() {
            return devMajor;
        }

        public int devMinor() {
            return devMinor;
        }

        /** Extended attributes by full name ({@code security.capability}), values as the archive holds them. */
        public Map<String, byte[]> xattrs() {
            return xattrs;
        }
    }

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive; unread data of the previous one is skipped. */
    public Entry next() throws IOException {
        skipRest();
        if (done) {
            return null;
        }
        Map<String, byte[]> pax = null;
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readHeader()) {
                done = true;
                return null;
            }
            char type = (char) (header[156] & 0xff);
            long size = number(124, 12, "size");
            if (size < 0) {
                throw new LayerRejectedException("negative entry size");
            }
            switch (type) {
                case 'x' -> {
                    pax = pax == null ? new LinkedHashMap<>() : pax; // two in a row: both apply, the later wins
                    parsePax(readMeta(size, "PAX header"), pax);
                }
                case 'g' -> parsePax(readMeta(size, "global PAX header"), globalPax);
                case 'L' -> longName = cString(readMeta(size, "GNU long name"));
                case 'K' -> longLink = cString(readMeta(size, "GNU long link name"));
                case 'V' -> skip(size + pad(size)); // a volume label: not a file
                default -> {
                    return entry(type, size, pax, longName, longLink);
                }
            }
        }
    }

    /** Reads the current entry's data; -1 at its end. */
    public int read(byte[] buf, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(buf, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("tar archive truncated inside an entry's data");
        }
        remaining -= n;
        return n;
    }

    private Entry entry(char type, long size, Map<String, byte[]> pax, String longName, String longLink) throws IOException {
        Entry e = new Entry();
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0; // POSIX: the prefix field extends the name (GNU puts times there)
        String name = string(0, 100);
        if (ustar && header[345] != 0) {
            name = string(345, 155) + "/" + name;
        }
        e.name = longName != null ? longName : name;
        e.linkName = longLink != null ? longLink : string(157, 100);
        e.mode = (int) (number(100, 8, "mode") & 07777);
        e.uid = number(108, 8, "uid");
        e.gid = number(116, 8, "gid");
        e.mtime = number(136, 12, "mtime");
        e.size = size;
        e.type = switch (type) {
            case '\0', '0', '7' -> e.name.endsWith("/") ? '5' : '0'; // old tars mark directories by a trailing slash only
            case '1', '2', '3', '4', '5', '6' -> type;
            default -> throw new LayerRejectedException("entry '" + e.name + "': unsupported tar entry type '" + printable(type) + "'"
                    + (type == 'S' ? " (GNU sparse file)" : type == 'M' ? " (multi-volume)" : ""));
        };
        if (e.type == '3' || e.type == '4') {
            e.devMajor = (int) number(329, 8, "devmajor");
            e.devMinor = (int) number(337, 8, "devminor");
        }
        apply(globalPax, e, true);
        if (pax != null) {
            apply(pax, e, false);
        }
        if (e.uid < 0 || e.gid < 0) {
            throw new LayerRejectedException("negative uid or gid in tar header");
        }
        e.mtime = Math.max(0, e.mtime); // squashfs times are unsigned
        remaining = e.size;
        padding = pad(e.size);
        if (e.type != '0') { // links, directories and devices carry no data; skip whatever a writer put there
            padding += remaining;
            remaining = 0;
        }
        return e;
    }

    /** A global header's path, link and size would apply to every later entry: nonsense, so ignored there. */
    private static void apply(Map<String, byte[]> pax, Entry e, boolean global) throws LayerRejectedException {
        for (Map.Entry<String, byte[]> r : pax.entrySet()) {
            String key = r.getKey();
            byte[] v = r.getValue();
            if (global && (key.equals("path") || key.equals("linkpath") || key.equals("size"))) {
                continue;
            }
            switch (key) {
                case "path" -> e.name = utf8(v);
                case "linkpath" -> e.linkName = utf8(v);
                case "size" -> e.size = decimal(key, v);
                case "uid" -> e.uid = decimal(key, v);
                case "gid" -> e.gid = decimal(key, v);
                case "mtime" -> e.mtime = seconds(v);
                default -> {
                    if (key.startsWith("SCHILY.xattr.")) {
                        e.xattrs.put(key.substring("SCHILY.xattr.".length()), v);
                    } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                        e.xattrs.put(urlDecode(key.substring("LIBARCHIVE.xattr.".length())), base64(v));
                    } else if (key.startsWith("GNU.sparse.")) {
                        throw new LayerRejectedException("unsupported tar entry: PAX sparse file (" + key + ")");
                    }
                }
            }
        }
        if (e.size < 0) {
            throw new LayerRejectedException("negative entry size");
        }
    }

    /** PAX records: {@code "%d %s=%s\n"}, the length counting the whole record; values are bytes. */
    private static void parsePax(byte[] data, Map<String, byte[]> into) throws LayerRejectedException {
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break; // some writers pad with NULs
            }
            int sp = pos;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9' && len < Integer.MAX_VALUE) {
                len = len * 10 + (data[sp++] - '0');
            }
            if (sp == pos || sp >= data.length || data[sp] != ' ' || len <= sp - pos + 1 || pos + len > data.length
                    || data[(int) (pos + len - 1)] != '\n') {
                throw new LayerRejectedException("malformed PAX header record");
            }
            int end = (int) (pos + len - 1);
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq == end || eq == sp + 1) {
                throw new LayerRejectedException("malformed PAX header record");
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end);
            if (value.length == 0) {
                into.remove(key); // an empty value deletes the keyword (POSIX)
            } else {
                into.put(key, value);
            }
            pos = (int) (pos + len);
        }
    }

    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false; // no end-of-archive marker: accepted, as GNU tar does
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive truncated inside a header");
        }
        boolean zero = true;
        for (byte b : header) {
            if (b != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return false; // end-of-archive marker; whatever follows is padding
        }
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new LayerRejectedException("tar header checksum mismatch: not a tar archive, or a corrupt one");
        }
        return true;
    }

    private byte[] readMeta(long size, String what) throws IOException {
        if (size > MAX_META) {
            throw new LayerRejectedException(what + " of " + size + " bytes (limit " + MAX_META + ")");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar archive truncated inside a " + what);
        }
        skip(pad(size));
        return data;
    }

    private void skipRest() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive truncated inside an entry's data");
                }
                k = 1;
            }
            n -= k;
        }
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /** Octal (space or NUL terminated), or GNU base-256 when the first byte has its high bit set. */
    private long number(int off, int len, String field) throws LayerRejectedException {
        int first = header[off] & 0xff;
        if (first == 0x80 || first == 0xff) {
            long v = first == 0xff ? -1 : 0; // two's complement, as GNU tar writes negative times
            for (int i = 1; i < len; i++) {
                if (first == 0x80 && v >>> 55 != 0 || first == 0xff && v >> 55 != -1) {
                    throw new LayerRejectedException(field + " in tar header does not fit 64 bits");
                }
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
            v = (v << 3) | (header[i] - '0');
        }
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) {
                throw new LayerRejectedException("invalid octal " + field + " in tar header");
            }
        }
        return v;
    }

    private String string(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    private static long decimal(String key, byte[] v) throws LayerRejectedException {
        try {
            long n = Long.parseLong(utf8(v).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new LayerRejectedException("invalid PAX " + key + " '" + utf8(v) + "'");
        }
    }

    /** PAX times may have a fraction and a sign: "1700000000.123456789", "-5". */
    private static long seconds(byte[] v) throws LayerRejectedException {
        String s = utf8(v).trim();
        int dot = s.indexOf('.');
        try {
            return Long.parseLong(dot < 0 ? s : s.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new LayerRejectedException("invalid PAX mtime '" + s + "'");
        }
    }

    private static byte[] base64(byte[] v) throws LayerRejectedException {
        try {
            return Base64.getMimeDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new LayerRejectedException("invalid base64 in LIBARCHIVE.xattr value");
        }
    }

    private static String urlDecode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
