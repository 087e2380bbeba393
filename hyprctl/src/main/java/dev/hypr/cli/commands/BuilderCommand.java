package dev.hypr.cli.commands;

import dev.hypr.cli.HelpOption;
import dev.hypr.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hyprctl builder ...}: the build cache. */
@Command(name = "builder", addMethodSubcommands = false, description = "Manage the build cache.",
        subcommands = {BuilderPruneCommand.class})
public final class BuilderCommand implements Callable<Integer> {
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
