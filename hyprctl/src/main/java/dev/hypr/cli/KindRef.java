package dev.hypr.cli;

import dev.hypr.api.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A kind typed by the user ({@code vm}, {@code vms}, {@code VM}, {@code net}...) and an object reference. */
public record KindRef(Kind kind, String name) {

    public static Kind kind(String typed) {
        return Kind.lookup(typed).orElseThrow(() -> new CliException("unknown kind \"" + typed + "\" (known: "
                + Arrays.stream(Kind.values()).map(k -> k.singular()).collect(Collectors.joining(", ")) + ")"));
    }

    /** Resolves the {@code kind:} field of an object ("VM") for printing. */
    public static String printable(String kindName) {
        return Kind.fromKindName(kindName).map(Kind::singular)
                .orElseGet(() -> Kind.lookup(kindName).map(Kind::singular).orElse(kindName.toLowerCase()));
    }

    /**
     * Objects named on the command line, kubectl style: {@code KIND NAME...} or
     * {@code KIND/NAME...}.
     */
    public static List<KindRef> parse(List<String> args) {
        if (args == null || args.isEmpty()) {
            throw new CliException("you must specify the kind and name of an object, e.g. vm/web or vm web", 2);
        }
        List<KindRef> refs = new ArrayList<>();
        if (args.get(0).contains("/")) {
            for (String a : args) {
                int slash = a.indexOf('/');
                if (slash <= 0 || slash == a.length() - 1) {
                    throw new CliException("\"" + a + "\" is not KIND/NAME (mixing KIND NAME and KIND/NAME is not"
                            + " allowed)", 2);
                }
                refs.add(new KindRef(kind(a.substring(0, slash)), a.substring(slash + 1)));
            }
            return refs;
        }
        Kind kind = kind(args.get(0));
        if (args.size() == 1) {
            throw new CliException("you must specify the name of the " + kind.singular() + ", e.g. "
                    + kind.singular() + "/web", 2);
        }
        for (String name : args.subList(1, args.size())) {
            if (name.contains("/")) {
                throw new CliException("\"" + name + "\": there is no need to give the kind twice; use "
                        + kind.singular() + " NAME or " + kind.singular() + "/NAME", 2);
            }
            refs.add(new KindRef(kind, name));
        }
        return refs;
    }

    @Override
    public String toString() {
        return kind.singular() + "/" + name;
    }
}
