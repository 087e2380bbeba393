package dev.hypr.api.sync;

import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.ComposeFileNames;
import dev.hypr.api.compose.ComposeRequest;
import dev.hypr.api.compose.ComposeResult;
import dev.hypr.api.compose.ComposeTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compose file in a Sync source becomes one Stack, translated by the same translator as
 * {@code hyprctl compose}: the project directory is the file's directory (its {@code .env}, env_file,
 * secret files), {@code compose.override.yaml} beside it is merged, {@code NAME.compose.yaml} names the
 * project NAME (as {@code -p}); otherwise {@code name:}, else the directory's name. The environment
 * is empty: hyprd's own environment never reaches a file. Errors and warnings name the file as the
 * Sync shows it.
 */
final class ComposeSources {
    private ComposeSources() {
    }

    static void translate(Path root, String displayPrefix, Path file, List<Manifest> manifests, List<ManifestError> errors,
            List<String> notes) {
        List<Path> files = new ArrayList<>(List.of(file));
        ComposeFileNames.override(file).ifPresent(files::add);
        String project = ComposeFileNames.namedProject(file.getFileName().toString()).orElse(null);
        ComposeResult result = ComposeTranslator.translate(new ComposeRequest(files, project, List.of(), List.of(), Map.of(),
                file.getParent()));
        String display = displayPrefix + root.relativize(file).toString().replace('\\', '/');
        result.warnings().forEach(w -> notes.add("warning: " + shown(w, root, displayPrefix).format()));
        result.errors().forEach(e -> errors.add(shown(e, root, displayPrefix)));
        if (result.ok()) {
            result.objects().forEach(o -> manifests.add(new Manifest(o, new SourcePosition(display, 1, 1))));
        }
    }

    /** The error with its file named as the Sync names files (the display prefix and the path below the root). */
    static ManifestError shown(ManifestError e, Path root, String displayPrefix) {
        SourcePosition at = e.position();
        String source = at.source();
        Path path = Path.of(source).toAbsolutePath().normalize();
        Path absoluteRoot = root.toAbsolutePath().normalize();
        if (path.startsWith(absoluteRoot)) {
            source = displayPrefix + absoluteRoot.relativize(path).toString().replace('\\', '/');
        }
        return new ManifestError(new SourcePosition(source, at.line(), at.column()), e.objectRef(), e.fieldPath(), e.message());
    }
}
