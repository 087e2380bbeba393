package dev.hypr.cli.commands;

import picocli.CommandLine.Command;

/** {@code hyprctl images ...}: hyprd's image store (PullImage, ListImages, GetImage, DeleteImage, PruneImages). */
@Command(name = "images", addMethodSubcommands = false, aliases = {"image"}, description = "Pull, push, list, inspect, remove and prune OCI images.",
        subcommands = {ImagesPullCommand.class, ImagesPushCommand.class, ImagesLsCommand.class, ImagesInspectCommand.class, ImagesRmCommand.class,
            ImagesPruneCommand.class})
public final class ImagesCommand extends CommandGroup {
}
