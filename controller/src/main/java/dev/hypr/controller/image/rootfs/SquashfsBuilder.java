package dev.hypr.controller.image.rootfs;

import dev.hypr.controller.image.layer.RootfsMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs an extracted rootfs into a squashfs with {@code mksquashfs}, taking ownership, modes,
 * times and device nodes from pseudo-definitions rather than from the disk, so it works without
 * root and the image's numeric uid/gid survive.
 */
public final class SquashfsBuilder {
    private final String mksquashfs;
    private final String compressor;

    /** compressor: what the guest kernel can read; Debian's kernels have zstd and gzip. */
    public SquashfsBuilder(String mksquashfs, String compressor) {
        this.mksquashfs = mksquashfs;
        this.compressor = compressor;
    }

    public void build(Path rootfs, RootfsMetadata metadata, Path output, Path scratch) throws IOException, InterruptedException {
        Path pseudo = scratch.resolve("pseudo");
        metadata.writePseudoFile(pseudo);
        List<String> cmd = new ArrayList<>(List.of(mksquashfs, rootfs.toString(), output.toString(),
                "-noappend", "-no-progress", "-quiet", "-no-xattrs", "-comp", compressor, "-pf", pseudo.toString()));
        Path log = scratch.resolve("mksquashfs.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            throw new IOException("mksquashfs failed (exit " + rc + "): " + out.substring(Math.max(0, out.length() - 2000)).trim());
        }
    }
}
