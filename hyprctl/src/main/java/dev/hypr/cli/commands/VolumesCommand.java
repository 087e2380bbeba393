package dev.hypr.cli.commands;

import dev.hypr.cli.HelpOption;
import dev.hypr.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hyprctl volumes ...}: what acts on several Volume objects at once (apply, get and delete handle one). */
@Command(name = "volumes", addMethodSubcommands = false, aliases = {"volume"}, description = "Prune volumes no VM uses.",
        subcommands = {VolumesPruneCommand.class})
public final class VolumesCommand implements Callable<Integer> {
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
