package dev.hypr.api.sync;

import dev.hypr.api.Kind;
import java.util.Locale;

/** One object's part in a pass; message explains a conflict and is empty otherwise. */
public record ObjectResult(Kind kind, String name, SyncAction action, String message) {
    /** "VM/web", as status and errors name objects. */
    public String ref() {
        return kind.kindName() + "/" + name;
    }

    /** "vm/web created", as the CLI prints it. */
    public String line() {
        return kind.kindName().toLowerCase(Locale.ROOT) + "/" + name + " " + action.word();
    }
}
