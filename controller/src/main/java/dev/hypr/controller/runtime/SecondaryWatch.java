package dev.hypr.controller.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import java.util.List;
import java.util.function.Function;

/** Changes to objects of {@code kind} wake the primary objects {@code keysFor} names. */
public record SecondaryWatch(Kind kind, Function<ObjectNode, List<String>> keysFor) {

    /** Wake the owner (of the primary kind) named in the changed object's ownerReferences. */
    public static SecondaryWatch owners(Kind kind, Kind ownerKind) {
        return new SecondaryWatch(kind, o -> {
            List<String> out = new java.util.ArrayList<>();
            o.path("metadata").path("ownerReferences").forEach(r -> {
                if (ownerKind.kindName().equals(r.path("kind").asText())) {
                    out.add(r.path("name").asText());
                }
            });
            return out;
        });
    }
}
