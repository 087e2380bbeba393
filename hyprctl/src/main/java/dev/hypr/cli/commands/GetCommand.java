package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.EventType;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.ListReply;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.api.grpc.WatchEvent;
import dev.hypr.api.grpc.WatchRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.KindRef;
import dev.hypr.cli.ObjectWaiter;
import dev.hypr.cli.output.KindColumns;
import dev.hypr.cli.output.ObjectPrinter;
import dev.hypr.cli.output.ObjectPrinter.Format;
import dev.hypr.cli.output.TablePrinter;
import dev.hypr.cli.output.YamlWriter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl get KIND [NAME...]}: tables, JSON, YAML or names; {@code -w} keeps streaming changes. */
@Command(name = "get", addMethodSubcommands = false, description = {"Show objects of one kind (or 'all' kinds).",
        "KIND is singular, plural or short (vm, vms, net, vol, img, st, sync); KIND/NAME works too."})
public final class GetCommand extends BaseCommand {
    @Parameters(paramLabel = "KIND [NAME...]", arity = "1..*", completionCandidates = KindCandidates.class,
            description = "What to show: a kind and optional names, or KIND/NAME references.")
    List<String> args;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json or name.")
    String output;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "Label selector: app=web,tier!=db,env in (a,b),!legacy.")
    String selector;

    @Option(names = {"-w", "--watch"}, description = "After the current state, stream changes until Ctrl-C.")
    boolean watch;

    @Option(names = "--no-headers", description = "Leave out the table header.")
    boolean noHeaders;

    private int[] widths;
    private static final List<String> EVENTS = List.of("events", "event", "ev");

    @Override
    public Integer call() {
        if (EVENTS.contains(args.get(0).toLowerCase())) {
            // events are not a stored kind: they come from hyprd's event recorder
            EventsCommand.print(EventsCommand.list(api(), "", ""), out(), now(), !noHeaders);
            return 0;
        }
        Format format = Format.parse(output);
        Kind kind = null;
        List<String> names = new ArrayList<>();
        boolean refs = args.get(0).contains("/");
        if (refs) {
            for (KindRef r : KindRef.parse(args)) {
                if (kind != null && kind != r.kind()) {
                    throw new CliException("get with KIND/NAME takes one kind at a time", 2);
                }
                kind = r.kind();
                names.add(r.name());
            }
        } else if (!args.get(0).equalsIgnoreCase("all")) {
            kind = KindRef.kind(args.get(0));
            names.addAll(args.subList(1, args.size()));
        } else if (args.size() > 1) {
            throw new CliException("'get all' takes no names", 2);
        }
        if (selector != null && !names.isEmpty()) {
            throw new CliException("--selector cannot be combined with names", 2);
        }
        if (watch && names.size() > 1) {
            throw new CliException("--watch takes at most one name", 2);
        }

        List<JsonNode> objects = new ArrayList<>();
        long revision = 0;
        boolean failed = false;
        if (names.isEmpty()) {
            ListReply reply = api().list(ListRequest.newBuilder().setKind(kind == null ? "" : kind.kindName())
                    .setLabelSelector(selector == null ? "" : selector).build());
            for (String item : reply.getItemsList()) {
                objects.add(Json.parseObject(item));
            }
            revision = reply.getResourceVersion();
        } else {
            for (String name : names) {
                try {
                    ObjectNode obj = Json.parseObject(api().get(GetRequest.newBuilder().setKind(kind.kindName())
                            .setName(name).build()).getJson());
                    objects.add(obj);
                    revision = Math.max(revision, ObjectWaiter.revisionOf(Optional.of(obj)));
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                        throw e;
                    }
                    failed = true;
                    if (!watch) {
                        err().println("error: " + kind.singular() + " \"" + name + "\" not found");
                    }
                }
            }
        }

        boolean asList = names.size() != 1;
        if (objects.isEmpty()) {
            if (names.isEmpty() && format == Format.JSON && !watch) {
                ObjectPrinter.print(format, objects, true, out(), now());
            } else if (names.isEmpty() && !watch) {
                err().println("No resources found.");
            }
        } else if (format == Format.TABLE || format == Format.WIDE) {
            printTable(kind, objects, format == Format.WIDE);
        } else {
            ObjectPrinter.print(format, objects, asList, out(), now());
        }
        out().flush();
        if (!watch) {
            return failed ? 1 : 0;
        }
        stream(kind, names.isEmpty() ? "" : names.get(0), revision, format);
        return 0;
    }

    private void printTable(Kind kind, List<JsonNode> objects, boolean wide) {
        if (kind == null) {
            // every kind: one table per kind
            ObjectPrinter.print(wide ? Format.WIDE : Format.TABLE, objects, true, out(), now());
            return;
        }
        TablePrinter t = ObjectPrinter.table(kind, objects, wide, false, now());
        t.print(out(), !noHeaders);
        widths = t.widths();
    }

    /** Prints every change after {@code revision} until interrupted or hyprd ends the stream. */
    private void stream(Kind kind, String name, long revision, Format format) {
        Iterator<WatchEvent> events = connection().streaming().watch(WatchRequest.newBuilder()
                .setKind(kind == null ? "" : kind.kindName()).setName(name)
                .setLabelSelector(selector == null ? "" : selector).setResourceVersion(revision).build());
        while (events.hasNext()) {
            WatchEvent ev = events.next();
            if (ev.getType() == EventType.BOOKMARK || ev.getJson().isEmpty()) {
                continue;
            }
            ObjectNode obj = Json.parseObject(ev.getJson());
            switch (format) {
                case TABLE, WIDE -> {
                    Kind k = kind != null ? kind : Kind.fromKindName(obj.path("kind").asText("")).orElse(null);
                    if (k == null) {
                        continue;
                    }
                    var cols = KindColumns.of(k, format == Format.WIDE);
                    List<String> cells = new ArrayList<>(KindColumns.cells(cols, obj, now()));
                    if (kind == null) {
                        cells.set(0, k.singular() + "/" + cells.get(0));
                    }
                    if (widths == null) {
                        List<String> headers = KindColumns.headers(cols);
                        widths = new int[headers.size()];
                        for (int i = 0; i < widths.length; i++) {
                            widths[i] = Math.max(headers.get(i).length(), cells.get(i).length());
                        }
                        if (!noHeaders && kind != null) {
                            out().println(TablePrinter.line(headers, widths));
                        }
                    }
                    out().println(TablePrinter.line(cells, widths));
                }
                case JSON -> out().println(ObjectPrinter.prettyJson(obj));
                case YAML -> out().print("---\n" + YamlWriter.write(obj));
                case NAME -> out().println(ObjectPrinter.name(obj));
            }
            out().flush();
        }
    }
}
