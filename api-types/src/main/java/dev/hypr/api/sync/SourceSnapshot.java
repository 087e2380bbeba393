package dev.hypr.api.sync;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

/**
 * Everything one read of a source produced: the decoded objects, every read error, a content
 * hash over the files read (the revision of a directory source) and notes about skipped files.
 */
public record SourceSnapshot(List<Manifest> manifests, List<ManifestError> errors, String contentHash,
        List<String> notes) {
    public SourceSnapshot {
        manifests = List.copyOf(manifests);
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }
}
