package dev.hypr.cli.commands;

import dev.hypr.cli.HelpOption;
import dev.hypr.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code images}, {@code volumes}, {@code builder}): run
 * alone it prints its usage and exits with {@link Main#USAGE}. Subcommands reach the root through
 * {@link #root}.
 */
abstract class CommandGroup implements Callable<Integer> {
    @ParentCommand
    Main root;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.env().err());
        return Main.USAGE;
    }
}
