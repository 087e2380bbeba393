package dev.hypr.controller.image.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** Tars written by Commons Compress in its several dialects, read back by {@link TarReader}. */
class TarReaderTest {
    @Test
    void gnuLongNamesAndBase256Numbers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            TarArchiveEntry f = new TarArchiveEntry("a/" + "n".repeat(150));
            f.setIds(3_000_000, 40_000_000);
            f.setMode(02755);
            f.setSize(5);
            out.putArchiveEntry(f);
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
            TarArchiveEntry s = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            s.setLinkName("t/" + "m".repeat(150));
            out.putArchiveEntry(s);
            out.closeArchiveEntry();
        }
        TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()));
        TarReader.Entry f = r.next();
        assertEquals("a/" + "n".repeat(150), f.name());
        assertEquals('0', f.type());
        assertEquals(3_000_000, f.uid());
        assertEquals(40_000_000, f.gid());
        assertEquals(02755, f.mode());
        byte[] data = new byte[10];
        assertEquals(5, r.read(data, 0, 10));
        assertEquals(-1, r.read(data, 0, 10));
        TarReader.Entry s = r.next();
        assertEquals('2', s.type());
        assertEquals("t/" + "m".repeat(150), s.linkName());
        assertNull(r.next());
        assertNull(r.next());
    }

    @Test
    void paxPathsTimesAndGlobalHeaders() throws Exception {
        TarArchiveEntry f = new TarArchiveEntry("p/" + "é".repeat(120));
        f.setModTime(1_700_000_000_123L);
        TarArchiveEntry d = new TarArchiveEntry("olddir/", TarConstants.LF_NORMAL);
        d.setIds(5, 5);
        byte[] tar = new TarBuilder().rawHeader(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER,
                "10 uid=77\n16 path=ignored\n".getBytes(StandardCharsets.UTF_8)).add(f, new byte[0]).add(d, null).bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        TarReader.Entry e = r.next();
        assertEquals("p/" + "é".repeat(120), e.name());
        assertEquals(1_700_000_000L, e.mtime());
        assertEquals(77, e.uid(), "global header");
        TarReader.Entry dir = r.next();
        assertEquals("olddir/", dir.name());
        assertEquals('5', dir.type(), "a regular-file type with a trailing slash is a directory");
        assertEquals(77, dir.uid(), "a global PAX uid overrides the ustar field of every later entry (POSIX)");
        assertNull(r.next());
    }

    @Test
    void rawBinaryXattrValues() throws Exception {
        byte[] cap = {1, 0, 0, 2, (byte) 0x80, (byte) 0xff, '=', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] tar = new TarBuilder().fileWithXattrs("f", "x", Map.of("security.capability", cap)).bytes();
        TarReader.Entry e = new TarReader(new ByteArrayInputStream(tar)).next();
        assertEquals("f", e.name());
        assertArrayEquals(cap, e.xattrs().get("security.capability"));
    }

    @Test
    void corruptHeaderAndTruncationAreErrors() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) { // plain ustar: one header, then data
            TarArchiveEntry f = new TarArchiveEntry("hello");
            f.setSize(5);
            out.putArchiveEntry(f);
            out.write("world".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        byte[] tar = bytes.toByteArray();
        byte[] bad = tar.clone();
        bad[0] = 'j';
        assertTrue(assertThrows(LayerRejectedException.class, () -> new TarReader(new ByteArrayInputStream(bad)).next())
                .getMessage().contains("checksum mismatch"));
        byte[] cut = Arrays.copyOf(tar, 512 + 2);
        TarReader r = new TarReader(new ByteArrayInputStream(cut));
        r.next();
        assertThrows(EOFException.class, r::next);
    }
}
