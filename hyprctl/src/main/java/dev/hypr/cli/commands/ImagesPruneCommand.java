package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.api.grpc.PruneImagesRequest;
import dev.hypr.cli.output.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyprctl images prune [-a]}: asks hyprd to delete image files nothing refers to. */
@Command(name = "prune", addMethodSubcommands = false, description = {"Delete images no reference resolves to and blobs no image needs; print the space freed.",
        "With --all, also every image that no Image object or VM uses."})
public final class ImagesPruneCommand extends ImagesSubcommand {
    @Option(names = {"-a", "--all"}, description = "Also delete pulled images that no Image object or VM uses.")
    boolean all;

    @Override
    public Integer call() {
        PruneImagesReply reply = api().pruneImages(PruneImagesRequest.newBuilder().setAll(all).build());
        for (String removed : reply.getRemovedList()) {
            out().println("deleted " + removed);
        }
        out().println("freed " + Sizes.bytes(reply.getFreedBytes()));
        return 0;
    }
}
