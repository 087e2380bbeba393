package dev.hypr.api.compose;

import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Warnings and errors found while translating, each at a file:line:col and a compose path
 * ({@code services.web.ports[1]}). Translation goes on after an error so one run reports them all.
 */
final class Problems {
    private static final Comparator<ManifestError> ORDER = Comparator
            .comparing((ManifestError e) -> e.position().source())
            .thenComparingInt(e -> e.position().line())
            .thenComparingInt(e -> e.position().column());

    private final List<ManifestError> warnings = new ArrayList<>();
    private final List<ManifestError> errors = new ArrayList<>();

    void warn(SourcePosition at, String composePath, String message) {
        warnings.add(new ManifestError(at, "", composePath, message));
    }

    void error(SourcePosition at, String composePath, String message) {
        errors.add(new ManifestError(at, "", composePath, message));
    }

    void add(ManifestError error) {
        errors.add(error);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ManifestError> warnings() {
        return warnings.stream().distinct().sorted(ORDER).toList();
    }

    List<ManifestError> errors() {
        return errors.stream().distinct().sorted(ORDER).toList();
    }
}
