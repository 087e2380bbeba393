package dev.hypr.cli.commands;

import dev.hypr.api.grpc.HyprGrpc;
import dev.hypr.cli.CliEnv;
import dev.hypr.cli.DaemonConnection;
import dev.hypr.cli.HelpOption;
import dev.hypr.cli.compose.ComposeInput;
import dev.hypr.cli.compose.ProjectFlags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What every {@code hyprctl compose} command shares: the project flags from both sides of the command. */
abstract class ComposeSubcommand implements Callable<Integer> {
    @ParentCommand
    ComposeCommand compose;

    @Mixin
    HelpOption help;

    /** The flags given after the command. */
    abstract ProjectFlags ownFlags();

    ProjectFlags flags() {
        return ownFlags().over(compose.project.flags());
    }

    CliEnv env() {
        return compose.env();
    }

    PrintWriter out() {
        return compose.out();
    }

    PrintWriter err() {
        return compose.err();
    }

    DaemonConnection connection() {
        return compose.connection();
    }

    HyprGrpc.HyprBlockingStub api() {
        return compose.api();
    }

    static Path cwd() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    /** The project's compose files translated, warnings and errors printed; errors end with "nothing was ...". */
    dev.hypr.api.compose.ComposeResult translate(String whatHappened) {
        return ComposeInput.translate(ComposeInput.request(flags(), cwd(), env().env()), err(), whatHappened);
    }

    String stackName() {
        return ComposeInput.stackName(flags(), cwd(), env().env(), err());
    }
}
