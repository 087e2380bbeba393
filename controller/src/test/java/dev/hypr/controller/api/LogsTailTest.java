package dev.hypr.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsTailTest {
    @TempDir
    Path dir;

    private String lastLines(Path log, int n) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogsTail(log).sendLastLines(n, out::writeBytes);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tailCountsLinesAcrossTheRotatedFile() throws Exception {
        Path log = dir.resolve("web.log");
        Files.writeString(dir.resolve("web.log.1"), "a\nb\n");
        Files.writeString(log, "c\nd\n");
        assertEquals("d\n", lastLines(log, 1));
        assertEquals("b\nc\nd\n", lastLines(log, 3));
        assertEquals("a\nb\nc\nd\n", lastLines(log, 0));
        assertEquals("a\nb\nc\nd\n", lastLines(log, 100));
    }

    @Test
    void anUnfinishedLastLineCounts() throws Exception {
        Path log = dir.resolve("web.log");
        Files.writeString(log, "one\ntwo\npartial");
        assertEquals("two\npartial", lastLines(log, 2));
    }

    @Test
    void noFileIsNoOutput() throws Exception {
        assertEquals("", lastLines(dir.resolve("none.log"), 5));
    }

    @Test
    void followSendsAppendsAndSurvivesRotation() throws Exception {
        Path log = dir.resolve("web.log");
        Files.writeString(log, "old\n");
        LogsTail tail = new LogsTail(log);
        StringBuffer got = new StringBuffer();
        tail.sendLastLines(0, b -> got.append(new String(b, StandardCharsets.UTF_8)));
        AtomicBoolean wanted = new AtomicBoolean(true);
        Thread follower = new Thread(() -> {
            try {
                tail.follow(b -> got.append(new String(b, StandardCharsets.UTF_8)), wanted::get);
            } catch (Exception e) {
                got.append("ERROR ").append(e);
            }
        });
        follower.start();
        Files.writeString(log, "before-rotation\n", StandardOpenOption.APPEND);
        awaitContains(got, "before-rotation\n");
        // what VmLogFile does: a last write, rename to .1, new file
        Files.writeString(log, "last-of-old\n", StandardOpenOption.APPEND);
        Files.move(log, dir.resolve("web.log.1"));
        Files.writeString(log, "first-of-new\n");
        awaitContains(got, "first-of-new\n");
        Files.delete(log);
        wanted.set(false); // the VM is gone: follow ends
        follower.join(5_000);
        assertEquals("old\nbefore-rotation\nlast-of-old\nfirst-of-new\n", got.toString());
    }

    private static void awaitContains(StringBuffer got, String s) throws InterruptedException {
        for (int i = 0; i < 100 && !got.toString().contains(s); i++) {
            Thread.sleep(50);
        }
    }
}
