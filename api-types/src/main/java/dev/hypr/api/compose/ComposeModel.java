package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.ManifestError;
import java.util.List;

/**
 * The resolved compose model ({@code hyprctl compose config}): files merged, interpolated,
 * {@code include} and {@code extends} applied, services filtered by the active profiles, and
 * {@code name} set to the project name. Null model when loading failed.
 */
public record ComposeModel(ObjectNode model, List<ManifestError> warnings, List<ManifestError> errors) {
    public ComposeModel {
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
