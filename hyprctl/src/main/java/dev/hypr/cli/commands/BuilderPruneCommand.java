package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PruneBuildCacheReply;
import dev.hypr.api.grpc.PruneBuildCacheRequest;
import dev.hypr.cli.HelpOption;
import dev.hypr.cli.output.Sizes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hyprctl builder prune}: empties the build cache and prints the space freed. */
@Command(name = "prune", addMethodSubcommands = false, description = "Empty the build cache; print the space freed.")
public final class BuilderPruneCommand implements Callable<Integer> {
    @ParentCommand
    BuilderCommand builder;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        PruneBuildCacheReply reply = builder.root.connection().api().pruneBuildCache(PruneBuildCacheRequest.getDefaultInstance());
        builder.root.env().out().println("Total reclaimed space: " + Sizes.bytes(reply.getFreedBytes()));
        return 0;
    }
}
