package dev.hypr.cli.commands;

import picocli.CommandLine.Command;

/** {@code hyprctl builder ...}: the build cache. */
@Command(name = "builder", addMethodSubcommands = false, description = "Manage the build cache.",
        subcommands = {BuilderPruneCommand.class})
public final class BuilderCommand extends CommandGroup {
}
