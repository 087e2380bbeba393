package dev.hypr.controller.store;

import dev.hypr.api.Kind;

/** Objects are cluster-scoped: kind and name identify one. Ordered by kind, then name. */
public record ObjectKey(Kind kind, String name) implements Comparable<ObjectKey> {
    @Override
    public int compareTo(ObjectKey o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return kind.kindName() + "/" + name;
    }
}
