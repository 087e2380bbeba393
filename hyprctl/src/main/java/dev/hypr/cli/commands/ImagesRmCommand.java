package dev.hypr.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.DeleteRequest;
import dev.hypr.cli.CliException;
import dev.hypr.cli.ImageNames;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hyprctl images rm NAME|REF}: deletes the Image object, refusing while a VM names its
 * reference. The files stay until {@code images prune} (a VM may still boot from them).
 */
@Command(name = "rm", aliases = {"remove"}, description = {"Delete an Image object (refused while a VM uses the image).",
        "Its files are freed by 'hyprctl images prune'."})
public final class ImagesRmCommand extends ImagesSubcommand {
    @Parameters(paramLabel = "NAME|REF", arity = "1..*", description = "Image object names or references.")
    List<String> targets;

    @Override
    public Integer call() {
        List<JsonNode> vms = list(Kind.VM);
        for (String target : targets) {
            JsonNode img = findImage(target);
            String name = img.path("metadata").path("name").asText();
            String ref = img.path("spec").path("ref").asText();
            List<String> users = vms.stream().filter(vm -> sameImage(vm.path("spec").path("image").asText(""), ref))
                    .map(vm -> vm.path("metadata").path("name").asText()).toList();
            if (!users.isEmpty()) {
                throw new CliException("image " + name + " (" + ref + ") is in use by vm " + String.join(", ", users)
                        + "; delete those VMs first");
            }
            api().delete(DeleteRequest.newBuilder().setKind(Kind.IMAGE.kindName()).setName(name).build());
            out().println("image/" + name + " deleted");
        }
        return 0;
    }

    /** Same reference, spelled the same or normalising to the same object name. */
    static boolean sameImage(String vmImage, String ref) {
        return !vmImage.isEmpty() && (vmImage.equals(ref) || ImageNames.forRef(vmImage).equals(ImageNames.forRef(ref)));
    }
}
