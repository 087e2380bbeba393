package dev.hypr.controller.build;

import dev.hypr.controller.image.layer.TarReader;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Drops entries from a layer tar by name, copying every other entry byte for byte (headers, PAX
 * records and data as written: nothing is re-encoded, so xattrs and whiteouts stay exact). Used
 * for the mount points Kestrel creates in the upper layer for a RUN's cache and bind mounts,
 * which BuildKit leaves out of the layer too.
 */
final class LayerTarFilter {
    private static final int BLOCK = 512;

    private LayerTarFilter() {
    }

    /** Copies {@code in} to {@code out} without the entries whose cleaned name is in {@code drop}. Returns how many were dropped. */
    static int drop(Path in, Path out, Set<String> drop) throws IOException {
        int dropped = 0;
        try (Recording rec = new Recording(Files.newInputStream(in)); OutputStream o = Files.newOutputStream(out)) {
            TarReader reader = new TarReader(rec);
            // what the reader skips after an entry (its padding, or the data of a non-file) arrives
            // with the next headers, and belongs to the entry before
            int trailing = 0;
            boolean previousKept = true;
            byte[] buf = new byte[1 << 16];
            for (TarReader.Entry e; (e = reader.next()) != null; ) {
                byte[] headers = rec.take();
                if (previousKept) o.write(headers, 0, trailing);
                boolean keep = !drop.contains(CopyLayer.stripSlashes(e.name()));
                if (keep) o.write(headers, trailing, headers.length - trailing);
                else dropped++;
                for (int n; (n = reader.read(buf, 0, buf.length)) > 0; ) {
                    if (keep) o.write(buf, 0, n);
                }
                rec.take(); // the data, already copied
                long pad = (BLOCK - e.size() % BLOCK) % BLOCK;
                trailing = (int) ((e.type() == '0' ? 0 : e.size()) + pad);
                previousKept = keep;
            }
            byte[] rest = rec.take();
            if (previousKept) o.write(rest, 0, Math.min(trailing, rest.length));
            o.write(new byte[2 * BLOCK]); // end of archive
        }
        return dropped;
    }

    /** Remembers the bytes read since the last {@link #take}. */
    private static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        byte[] take() {
            byte[] b = seen.toByteArray();
            seen.reset();
            return b;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) seen.write(b);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) seen.write(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }
    }
}
