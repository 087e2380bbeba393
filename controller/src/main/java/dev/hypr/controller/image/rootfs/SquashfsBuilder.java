package dev.hypr.controller.image.rootfs;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Packs a tar stream into a squashfs with {@code tar2sqfs} (squashfs-tools-ng): the tar goes to
 * its stdin as it is produced, so the rootfs never exists as files. Ownership, modes, times,
 * device nodes, hard links and xattrs come from the tar headers, so no privileges are needed and
 * the image's numeric uid/gid survive.
 */
public final class SquashfsBuilder {
    private final String tar2sqfs;
    private final String compressor;
    private final OptionalInt level;

    /** zstd level hypr uses unless configured: see docs/benchmarks.md (Images) for the measurements behind it. */
    public static final int ZSTD_LEVEL = 6;

    /** What produces the tar; it writes to the stream and must not close it. */
    @FunctionalInterface
    public interface TarProducer {
        void writeTo(OutputStream tar) throws IOException;
    }

    /**
     * compressor: what the guest kernel can read (Debian's kernels have zstd and gzip); level:
     * passed as {@code -X level=N} when present, else the compressor's own default (zstd: 15).
     */
    public SquashfsBuilder(String tar2sqfs, String compressor, OptionalInt level) {
        this.tar2sqfs = tar2sqfs;
        this.compressor = compressor;
        this.level = level;
    }

    /** hypr's level for zstd; for other compressors tar2sqfs's own default. */
    public static OptionalInt defaultLevel(String compressor) {
        return compressor.equals("zstd") ? OptionalInt.of(ZSTD_LEVEL) : OptionalInt.empty();
    }

    /** Runs tar2sqfs into {@code output} (which must not exist); its messages go to a log in {@code scratch}. */
    public void build(TarProducer producer, Path output, Path scratch) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tar2sqfs, "--quiet", "--no-skip", "--compressor", compressor,
                "--num-jobs", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "--defaults", "uid=0,gid=0,mode=0755,mtime=0"));
        level.ifPresent(l -> cmd.addAll(List.of("--comp-extra", "level=" + l)));
        cmd.add(output.toString());
        Path log = scratch.resolve("tar2sqfs.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PipeWatch pipe = new PipeWatch(p.getOutputStream());
        try {
            OutputStream stdin = new BufferedOutputStream(pipe, 1 << 20);
            producer.writeTo(stdin);
            stdin.close();
        } catch (IOException | RuntimeException | Error e) {
            if (pipe.broken) { // tar2sqfs stopped reading: its own message says why
                throw failure(p, log, output, e);
            }
            p.destroyForcibly(); // the producer failed (rejected layer, failed download): a partial image is no image
            try {
                p.getOutputStream().close();
            } catch (IOException ignored) {
                // it is dead
            }
            p.waitFor();
            Files.deleteIfExists(output);
            throw e;
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (rc != 0) {
            throw failure(p, log, output, null);
        }
    }

    private static IOException failure(Process p, Path log, Path output, Throwable cause) throws IOException, InterruptedException {
        int rc = p.waitFor();
        Files.deleteIfExists(output);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        IOException e = new IOException("tar2sqfs failed (exit " + rc + "): " + out.substring(Math.max(0, out.length() - 2000)).trim());
        if (cause != null) {
            e.addSuppressed(cause);
        }
        return e;
    }

    /** Remembers whether writing to tar2sqfs failed, to tell its failure from the producer's. */
    private static final class PipeWatch extends FilterOutputStream {
        volatile boolean broken;

        PipeWatch(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
    }
}
