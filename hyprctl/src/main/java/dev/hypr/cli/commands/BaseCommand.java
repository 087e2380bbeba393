package dev.hypr.cli.commands;

import dev.hypr.cli.CliEnv;
import dev.hypr.cli.DaemonConnection;
import dev.hypr.cli.Main;
import dev.hypr.api.grpc.HyprGrpc;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import dev.hypr.cli.HelpOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every command shares: the streams, the clock and the (lazily opened) daemon connection. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    Main root;

    @Mixin
    HelpOption help;

    CliEnv env() {
        return root.env();
    }

    PrintWriter out() {
        return root.env().out();
    }

    PrintWriter err() {
        return root.env().err();
    }

    Instant now() {
        return root.env().clock().instant();
    }

    DaemonConnection connection() {
        return root.connection();
    }

    HyprGrpc.HyprBlockingStub api() {
        return root.connection().api();
    }
}
