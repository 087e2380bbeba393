package dev.hypr.cli.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogPrefixerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesFromTwoVmsInterleaveWholeEvenWhenChunksSplitThem() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogPrefixer web = new LogPrefixer(out, "s-web-1", 9, 0, false, true);
        LogPrefixer db = new LogPrefixer(out, "s-db-10", 9, 1, false, true);
        web.write(b("hel"));
        db.write(b("one\ntw"));
        web.write(b("lo\n"));
        db.write(b("o"));
        db.flush();
        web.flush();
        assertEquals("s-db-10   | one\ns-web-1   | hello\ns-db-10   | two\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onATerminalEachVmHasItsColourAndWithoutPrefixLinesPassAsTheyAre() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogPrefixer(out, "a-1", 3, 0, true, true).write(b("x\n"));
        new LogPrefixer(out, "b-1", 3, 1, true, true).write(b("y\n"));
        new LogPrefixer(out, "c-1", 3, 1, false, false).write(b("z\n"));
        assertEquals(List.of("\u001b[36ma-1 | \u001b[0mx", "\u001b[33mb-1 | \u001b[0my", "z"),
                List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    }
}
