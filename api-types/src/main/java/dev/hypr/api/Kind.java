package dev.hypr.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Every kind hyprd stores, with the names kubectl-style commands accept for it. */
public enum Kind {
    VM("VM", "vms", List.of("vm", "virtualmachine", "virtualmachines")),
    NETWORK("Network", "networks", List.of("net", "nets")),
    VOLUME("Volume", "volumes", List.of("vol", "vols")),
    IMAGE("Image", "images", List.of("img", "imgs")),
    STACK("Stack", "stacks", List.of("st")),
    SYNC("Sync", "syncs", List.of()),
    NODE("Node", "nodes", List.of("no"));

    public static final String GROUP = "hypr.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private final String kindName;
    private final String plural;
    private final List<String> shortNames;

    Kind(String kindName, String plural, List<String> shortNames) {
        this.kindName = kindName;
        this.plural = plural;
        this.shortNames = shortNames;
    }

    /** The CamelCase name written in {@code kind:}. */
    public String kindName() {
        return kindName;
    }

    public String singular() {
        return kindName.toLowerCase(Locale.ROOT);
    }

    public String plural() {
        return plural;
    }

    public List<String> shortNames() {
        return shortNames;
    }

    /** Resolves {@code vm}, {@code vms}, {@code VM}, {@code virtualmachine}... to a kind. */
    public static Optional<Kind> lookup(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (Kind k : values()) {
            if (k.singular().equals(n) || k.plural.equals(n) || k.shortNames.contains(n)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Exact match on the {@code kind:} field, as the API server does. */
    public static Optional<Kind> fromKindName(String kindName) {
        for (Kind k : values()) {
            if (k.kindName.equals(kindName)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
