package dev.hypr.api.sync;

import java.util.Locale;

/** What a pass did (or, on a dry run, would do) to one object. */
public enum SyncAction {
    CREATED,
    CONFIGURED,
    UNCHANGED,
    PRUNED,
    /** Another Sync manages the object: reported, left alone. */
    CONFLICT;

    /** "created", as apply output prints it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
