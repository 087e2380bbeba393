package dev.hypr.cli.commands;

import picocli.CommandLine.Command;

/** {@code hyprctl volumes ...}: what acts on several Volume objects at once (apply, get and delete handle one). */
@Command(name = "volumes", addMethodSubcommands = false, aliases = {"volume"}, description = "Prune volumes no VM uses.",
        subcommands = {VolumesPruneCommand.class})
public final class VolumesCommand extends CommandGroup {
}
