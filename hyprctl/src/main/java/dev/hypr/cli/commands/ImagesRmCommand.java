package dev.hypr.cli.commands;

import dev.hypr.api.grpc.DeleteImageReply;
import dev.hypr.api.grpc.DeleteImageRequest;
import dev.hypr.cli.GrpcErrors;
import dev.hypr.cli.output.Sizes;
import io.grpc.StatusRuntimeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl images rm REF|DIGEST...}: removes references from hyprd's store, and each image
 * once no reference is left to it. hyprd refuses while a VM or Image object uses what would go.
 */
@Command(name = "rm", addMethodSubcommands = false, aliases = {"remove"}, description = {"Remove images from hyprd's store (refused while a VM or Image",
        "object uses them). A reference removes that reference; the image goes once none is left."})
public final class ImagesRmCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "REF|DIGEST", arity = "1..*", description = "References, sha256:<hex> digests or unique digest prefixes.")
    List<String> targets;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Only this platform of a reference (default: every one).")
    String platform;

    @Override
    public Integer call() {
        int code = 0;
        for (String target : targets) {
            DeleteImageRequest.Builder request = DeleteImageRequest.newBuilder().setImage(target);
            if (platform != null) {
                request.setPlatform(platform);
            }
            try {
                DeleteImageReply reply = api().deleteImage(request.build());
                reply.getUntaggedList().forEach(t -> out().println("Untagged: " + t));
                reply.getDeletedList().forEach(d -> out().println("Deleted: " + d));
                if (reply.getDeletedCount() > 0) {
                    out().println("freed " + Sizes.bytes(reply.getFreedBytes()));
                }
            } catch (StatusRuntimeException e) {
                out().flush();
                code = GrpcErrors.report(e, connection().target(), env().err());
            }
        }
        return code;
    }
}
