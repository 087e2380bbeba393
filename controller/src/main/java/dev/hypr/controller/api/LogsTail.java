package dev.hypr.controller.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads NAME.log (and its one rotated predecessor NAME.log.1) like {@code tail [-n N] [-F]}:
 * the last lines first, then appended bytes, noticing rotation by the file's identity (inode)
 * so that the old file's last bytes are sent before the new file's first.
 */
final class LogsTail {
    static final long POLL_MILLIS = 200;

    private final Path file;
    private final Path rotated;
    private volatile boolean stopped;
    private Object fileKey;
    private long position;

    LogsTail(Path file) {
        this.file = file;
        this.rotated = file.resolveSibling(file.getFileName() + ".1");
    }

    void stop() {
        stopped = true;
    }

    /** The last {@code lines} lines (0 = everything kept) of the rotated file and the current one. */
    void sendLastLines(int lines, Consumer<byte[]> sink) throws IOException {
        byte[] current = readCurrent();
        byte[] older = lines == 0 || countLines(current) < lines ? readAll(rotated) : new byte[0];
        byte[] all = concat(older, current);
        int start = lines == 0 ? 0 : startOfLastLines(all, lines);
        if (start < all.length) {
            sink.accept(java.util.Arrays.copyOfRange(all, start, all.length));
        }
    }

    /** Sends what is appended until stopped, or until the file is gone and {@code stillWanted} says no. */
    void follow(Consumer<byte[]> sink, BooleanSupplier stillWanted) throws IOException, java.io.UncheckedIOException {
        while (!stopped) {
            BasicFileAttributes now = attributes(file);
            if (now == null) {
                if (!stillWanted.getAsBoolean()) {
                    return;
                }
            } else {
                if (fileKey != null && !fileKey.equals(now.fileKey())) {
                    drainRotated(sink);
                    fileKey = now.fileKey();
                    position = 0;
                } else if (now.size() < position) {
                    position = 0; // truncated in place
                }
                fileKey = now.fileKey();
                if (now.size() > position) {
                    sink.accept(readFrom(file, position, now.size()));
                    position = now.size();
                    continue;
                }
            }
            sleep();
        }
    }

    /** The file we were reading was renamed to NAME.log.1: send what was appended to it before the rename. */
    private void drainRotated(Consumer<byte[]> sink) throws IOException {
        BasicFileAttributes old = attributes(rotated);
        if (old != null && fileKey.equals(old.fileKey()) && old.size() > position) {
            sink.accept(readFrom(rotated, position, old.size()));
        }
    }

    private byte[] readCurrent() throws IOException {
        BasicFileAttributes a = attributes(file);
        if (a == null) {
            return new byte[0];
        }
        byte[] bytes = readFrom(file, 0, a.size());
        fileKey = a.fileKey();
        position = bytes.length;
        return bytes;
    }

    private static byte[] readAll(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static byte[] readFrom(Path p, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(p)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, to - from));
            ch.position(from);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read until the size we saw; anything newer is picked up by the next poll
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static int countLines(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Index where the last {@code lines} lines begin; a final line without newline counts as a line. */
    static int startOfLastLines(byte[] b, int lines) {
        int seen = 0;
        int i = b.length - 1;
        if (i >= 0 && b[i] == '\n') {
            i--; // the newline ending the last line does not start a new one
        }
        for (; i >= 0; i--) {
            if (b[i] == '\n' && ++seen == lines) {
                return i + 1;
            }
        }
        return 0;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
