package dev.hypr.controller.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Recursive deletion that never follows symlinks: a link is removed, never what it points to. */
public final class FileTrees {
    private FileTrees() {
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            // Directories extracted from layers may lack write/exec permission for their owner.
            p.toFile().setWritable(true, true);
            p.toFile().setExecutable(true, true);
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteRecursively(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
