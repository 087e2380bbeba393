package dev.hypr.api.compose;

import dev.hypr.api.codec.SourcePosition;
import dev.hypr.api.compose.YNode.YMap;
import dev.hypr.api.compose.YNode.YScalar;
import java.nio.file.Path;
import java.util.Map;

/**
 * A resolved compose model: files merged, interpolated, includes and extends applied, services
 * filtered by profile. {@code baseDirs} says which directory each file's relative paths start from.
 */
record ComposeProject(YMap model, String name, Path projectDir, Map<String, String> environment, Map<String, Path> baseDirs) {
    /** A path written in the files, made absolute against the directory of the file that wrote it. */
    Path resolve(YScalar written) {
        return resolve(written.text(), written.position());
    }

    Path resolve(String written, SourcePosition at) {
        String expanded = written.startsWith("~/") ? System.getProperty("user.home") + written.substring(1) : written;
        return baseDirs.getOrDefault(at.source(), projectDir).resolve(expanded).toAbsolutePath().normalize();
    }

    YMap section(String name) {
        return model.get(name) instanceof YMap m ? m : new YMap(Map.of(), Map.of(), model.position(), null);
    }
}
