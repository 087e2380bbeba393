package dev.hypr.cli.commands;

import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.cli.CliEnv;
import dev.hypr.cli.DaemonConnection;
import dev.hypr.cli.HelpOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What the {@code images} subcommands share: the root's streams and connection. */
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
}
