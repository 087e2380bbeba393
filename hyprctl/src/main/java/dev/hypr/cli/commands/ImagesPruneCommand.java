package dev.hypr.cli.commands;

import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.api.grpc.PruneImagesRequest;
import dev.hypr.cli.PullProgressView;
import picocli.CommandLine.Command;

/** {@code hyprctl images prune}: asks hyprd to delete image files no Image object or VM refers to. */
@Command(name = "prune", description = "Delete stored images and blobs that no Image object or VM refers to; print the space freed.")
public final class ImagesPruneCommand extends ImagesSubcommand {
    @Override
    public Integer call() {
        PruneImagesReply reply = api().pruneImages(PruneImagesRequest.getDefaultInstance());
        for (String removed : reply.getRemovedList()) {
            out().println("deleted " + removed);
        }
        out().println("freed " + PullProgressView.bytes(reply.getFreedBytes()));
        return 0;
    }
}
