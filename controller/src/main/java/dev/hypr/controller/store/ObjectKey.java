package dev.hypr.controller.store;

import dev.hypr.api.Kind;

/** Objects are cluster-scoped: kind and name identify one. */
public record ObjectKey(Kind kind, String name) {
    @Override
    public String toString() {
        return kind.kindName() + "/" + name;
    }
}
