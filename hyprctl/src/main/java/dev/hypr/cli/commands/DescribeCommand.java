package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.GetRequest;
import dev.hypr.api.grpc.ListReply;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.cli.KindRef;
import dev.hypr.cli.output.Describer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyprctl describe KIND NAME}: metadata, labels, spec, status and conditions for people. */
@Command(name = "describe", addMethodSubcommands = false, description = "Show one object (or every object of a kind) in detail.")
public final class DescribeCommand extends BaseCommand {
    @Parameters(paramLabel = "KIND [NAME...]", arity = "1..*", completionCandidates = KindCandidates.class,
            description = "A kind and names, KIND/NAME references, or a kind alone for all of its objects.")
    List<String> args;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector (with a kind alone).")
    String selector;

    @Override
    public Integer call() {
        List<JsonNode> objects = new ArrayList<>();
        boolean failed = false;
        if (args.size() == 1 && !args.get(0).contains("/")) {
            Kind kind = KindRef.kind(args.get(0));
            ListReply reply = api().list(ListRequest.newBuilder().setKind(kind.kindName())
                    .setLabelSelector(selector == null ? "" : selector).build());
            reply.getItemsList().forEach(i -> objects.add(Json.parseObject(i)));
            if (objects.isEmpty()) {
                err().println("No resources found.");
                return 0;
            }
        } else {
            for (KindRef ref : KindRef.parse(args)) {
                try {
                    objects.add(Json.parseObject(api().get(GetRequest.newBuilder().setKind(ref.kind().kindName())
                            .setName(ref.name()).build()).getJson()));
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                        throw e;
                    }
                    failed = true;
                    err().println("error: " + ref.kind().singular() + " \"" + ref.name() + "\" not found");
                }
            }
        }
        for (int i = 0; i < objects.size(); i++) {
            if (i > 0) {
                out().println();
            }
            Describer.describe(objects.get(i), out(), now());
            JsonNode meta = objects.get(i).path("metadata");
            EventsCommand.describeSection(api(), objects.get(i).path("kind").asText(), meta.path("name").asText(), out(), now());
        }
        return failed ? 1 : 0;
    }
}
