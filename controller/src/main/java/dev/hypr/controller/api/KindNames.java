package dev.hypr.controller.api;

import dev.hypr.api.Kind;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Accepts any form of a kind's name in requests (VM, vm, vms, ...). */
final class KindNames {
    private KindNames() {
    }

    static Kind required(String name) {
        return Kind.fromKindName(name).or(() -> Kind.lookup(name)).orElseThrow(() -> GrpcErrors.invalid(
                "unknown kind \"" + name + "\"; known kinds: "
                        + Arrays.stream(Kind.values()).map(Kind::kindName).collect(Collectors.joining(", "))));
    }

    /** Empty = every kind (null). */
    static Kind optional(String name) {
        return name == null || name.isEmpty() ? null : required(name);
    }
}
