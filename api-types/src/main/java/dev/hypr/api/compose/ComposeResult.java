package dev.hypr.api.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.codec.ManifestError;
import java.util.List;
import java.util.Map;

/**
 * What a compose project became.
 *
 * @param objects      the objects to apply: one Stack, whose spec holds every service, network and volume
 *                     (its controller creates the VMs, Networks and Volumes); empty when there are errors
 * @param warnings     keys and values that have no effect here, each at file:line:col
 * @param errors       what stops the translation, each at file:line:col; empty on success
 * @param serviceHashes per service (object-safe name), a hash of its translated spec: equal hashes mean
 *                     nothing about that service changed
 */
public record ComposeResult(List<ObjectNode> objects, List<ManifestError> warnings, List<ManifestError> errors,
                            Map<String, String> serviceHashes) {
    public ComposeResult {
        objects = List.copyOf(objects);
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
        serviceHashes = Map.copyOf(serviceHashes);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The single Stack object. */
    public ObjectNode stack() {
        return objects.stream().filter(o -> "Stack".equals(o.path("kind").asText())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Stack: " + errors));
    }
}
