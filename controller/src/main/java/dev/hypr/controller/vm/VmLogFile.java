package dev.hypr.controller.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * $HYPR_HOME/logs/NAME.log: the workload's stdout and stderr as Kestrel relays them. Rotated
 * by size (one older file, NAME.log.1) so a chatty workload cannot fill the disk.
 */
public final class VmLogFile implements AutoCloseable {
    static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    private final Path file;
    private final long maxBytes;
    private OutputStream out;
    private long size;

    public VmLogFile(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public Path path() {
        return file;
    }

    public synchronized void append(byte[] data) {
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                size = Files.size(file);
            }
            if (size + data.length > maxBytes && size > 0) {
                rotate();
            }
            out.write(data);
            out.flush();
            size += data.length;
        } catch (IOException e) {
            // logging must never take the VM down; the next write retries opening the file
            closeQuietly();
        }
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = 0;
    }

    public synchronized void deleteFiles() throws IOException {
        closeQuietly();
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".1"));
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do with a log we cannot close
            }
            out = null;
        }
    }
}
