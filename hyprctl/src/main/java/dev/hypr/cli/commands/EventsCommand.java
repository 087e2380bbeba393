package dev.hypr.cli.commands;

import dev.hypr.api.grpc.Event;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListEventsRequest;
import dev.hypr.api.grpc.SubscribeEventsRequest;
import dev.hypr.cli.output.Age;
import dev.hypr.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl events [KIND/NAME] [-w]}, also reached as {@code hyprctl get events}: what the
 * controllers did and saw, oldest first, kubectl's columns.
 */
@Command(name = "events", addMethodSubcommands = false, description = "Show recent events (what controllers did and saw); -w streams new ones.")
public final class EventsCommand extends BaseCommand {
    static final List<String> HEADERS = List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");

    @Parameters(paramLabel = "[KIND/NAME]", arity = "0..1", description = "Only this object's events (e.g. vm/web).")
    String object;

    @Option(names = {"-w", "--watch"}, description = "After the current events, stream new ones until Ctrl-C.")
    boolean watch;

    @Override
    public Integer call() {
        String kind = "";
        String name = "";
        if (object != null) {
            String[] parts = object.split("/", 2);
            kind = parts[0];
            name = parts.length > 1 ? parts[1] : "";
        }
        List<Event> events = list(api(), kind, name);
        int[] widths = print(events, out(), now(), true);
        if (watch) {
            long after = events.isEmpty() ? 0 : events.get(events.size() - 1).getSequence();
            Iterator<Event> stream = connection().streaming().subscribeEvents(SubscribeEventsRequest.newBuilder()
                    .setKind(kind).setName(name).setAfterSequence(after).build());
            while (stream.hasNext()) {
                out().println(TablePrinter.line(cells(stream.next(), now()), widths));
                out().flush();
            }
        }
        return 0;
    }

    static List<Event> list(HyprGrpc.HyprBlockingStub api, String kind, String name) {
        return api.listEvents(ListEventsRequest.newBuilder().setKind(kind).setName(name).build()).getEventsList();
    }

    /** The table (or "No events found."); returns the column widths for rows streamed after it. */
    static int[] print(List<Event> events, PrintWriter out, Instant now, boolean headers) {
        TablePrinter table = new TablePrinter(HEADERS);
        events.forEach(e -> table.row(cells(e, now)));
        if (events.isEmpty()) {
            out.println("No events found.");
        } else {
            table.print(out, headers);
        }
        return table.widths();
    }

    static List<String> cells(Event e, Instant now) {
        String lastSeen = Age.format(Duration.between(Instant.ofEpochMilli(e.getLastTimestampMillis()), now));
        if (e.getCount() > 1) {
            lastSeen += " (x" + e.getCount() + ")";
        }
        return List.of(lastSeen, e.getType(), e.getReason(), e.getKind().toLowerCase() + "/" + e.getName(), e.getMessage());
    }

    /** describe's last section: this object's events, kubectl style. */
    static void describeSection(HyprGrpc.HyprBlockingStub api, String kind, String name, PrintWriter out, Instant now) {
        List<Event> events;
        try {
            events = list(api, kind, name);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
                return; // a hyprd without events: describe still shows the object
            }
            throw e;
        }
        out.println("Events:");
        if (events.isEmpty()) {
            out.println("  <none>");
            return;
        }
        TablePrinter table = new TablePrinter(HEADERS);
        events.forEach(e -> table.row(cells(e, now)));
        java.io.StringWriter buf = new java.io.StringWriter();
        table.print(new PrintWriter(buf), true);
        buf.toString().lines().forEach(l -> out.println("  " + l));
    }
}
