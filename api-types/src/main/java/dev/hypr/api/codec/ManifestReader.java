package dev.hypr.api.codec;

import java.nio.file.Path;

/** Decodes multi-document YAML or JSON into objects with line:column of every node. (stub) */
public final class ManifestReader {
    private ManifestReader() {
    }

    public static ReadResult read(String source, byte[] content) {
        throw new UnsupportedOperationException("stub");
    }

    /** A file, or every *.yaml/*.yml/*.json in a directory (sub-directories when recursive). */
    public static ReadResult readPath(Path fileOrDirectory, boolean recursive) {
        throw new UnsupportedOperationException("stub");
    }
}
