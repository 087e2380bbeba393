package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.api.grpc.ListRequest;
import dev.hypr.cli.CliEnv;
import dev.hypr.cli.CliException;
import dev.hypr.cli.DaemonConnection;
import dev.hypr.cli.HelpOption;
import dev.hypr.cli.ImageNames;
import dev.hypr.cli.ObjectWaiter;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What the {@code images} subcommands share: the root's streams and connection, and finding an Image by name or ref. */
abstract class ImagesSubcommand implements Callable<Integer> {
    @ParentCommand
    ImagesCommand images;

    @Mixin
    HelpOption help;

    CliEnv env() {
        return images.root.env();
    }

    PrintWriter out() {
        return env().out();
    }

    DaemonConnection connection() {
        return images.root.connection();
    }

    HyprGrpc.HyprBlockingStub api() {
        return connection().api();
    }

    /** The Image object named {@code nameOrRef}, or else the one {@code images pull nameOrRef} would have created. */
    JsonNode findImage(String nameOrRef) {
        ObjectWaiter waiter = new ObjectWaiter(connection());
        return waiter.current(Kind.IMAGE, nameOrRef)
                .or(() -> waiter.current(Kind.IMAGE, ImageNames.forRef(nameOrRef)))
                .or(() -> list(Kind.IMAGE).stream().filter(i -> i.path("spec").path("ref").asText().equals(nameOrRef)).findFirst())
                .orElseThrow(() -> new CliException("image \"" + nameOrRef + "\" not found (see hyprctl images ls)"));
    }

    List<JsonNode> list(Kind kind) {
        return api().list(ListRequest.newBuilder().setKind(kind.kindName()).build()).getItemsList().stream()
                .map(s -> (JsonNode) Json.parseObject(s)).toList();
    }
}
