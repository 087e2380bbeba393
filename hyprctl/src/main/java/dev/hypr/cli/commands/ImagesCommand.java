package dev.hypr.cli.commands;

import dev.hypr.cli.HelpOption;
import dev.hypr.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyprctl images ...}: hyprd's image store (PullImage, ListImages, GetImage, DeleteImage, PruneImages). */
@Command(name = "images", addMethodSubcommands = false, aliases = {"image"}, description = "Pull, push, list, inspect, remove and prune OCI images.",
        subcommands = {ImagesPullCommand.class, ImagesPushCommand.class, ImagesLsCommand.class, ImagesInspectCommand.class, ImagesRmCommand.class,
            ImagesPruneCommand.class})
public final class ImagesCommand implements Callable<Integer> {
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
