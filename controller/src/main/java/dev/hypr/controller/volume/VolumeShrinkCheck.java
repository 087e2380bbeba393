package dev.hypr.controller.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Refuses at apply time a Volume whose spec.sizeMiB is below the size it has (volumes only
 * grow). Changes that reach the store another way (a Sync) are refused by the controller
 * instead, with the condition ShrinkRefused.
 */
public final class VolumeShrinkCheck {
    private VolumeShrinkCheck() {
    }

    /** One error per Volume in {@code manifests} that would shrink the stored one. */
    public static List<ManifestError> errors(List<Manifest> manifests, BiFunction<Kind, String, Optional<ObjectNode>> stored) {
        List<ManifestError> out = new ArrayList<>();
        for (Manifest m : manifests) {
            if (!Kind.VOLUME.kindName().equals(m.kind()) || !m.object().path("spec").path("sizeMiB").canConvertToLong()) {
                continue;
            }
            long wanted = m.object().path("spec").path("sizeMiB").asLong();
            stored.apply(Kind.VOLUME, m.name()).ifPresent(current -> {
                long now = Math.max(current.path("spec").path("sizeMiB").asLong(), current.path("status").path("sizeMiB").asLong());
                if (wanted < now) {
                    out.add(m.errorAt("/spec/sizeMiB", "cannot shrink volume from " + now + " MiB to " + wanted
                            + " MiB: volumes only grow (delete and re-create it to start smaller)"));
                }
            });
        }
        return out;
    }
}
