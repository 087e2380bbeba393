package dev.hypr.cli.commands;

import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Kind names offered by shell completion: singular, plural and short forms. */
final class KindCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (Kind k : Kind.values()) {
            names.add(k.singular());
            names.add(k.plural());
            names.addAll(k.shortNames());
        }
        return names.iterator();
    }
}
