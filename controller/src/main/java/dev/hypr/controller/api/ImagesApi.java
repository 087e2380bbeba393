package dev.hypr.controller.api;

import dev.hypr.api.Kind;
import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.controller.image.ImagePruner;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.store.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** The image-store calls of the API that are not object CRUD: prune. */
@ApplicationScoped
public class ImagesApi {
    @Inject
    ObjectStore store;

    @Inject
    ImageService images;

    /** Keeps what any Image object (with its platform) or any VM (default platform) names; deletes the rest. */
    public PruneImagesReply prune() throws Exception {
        List<ImageService.InUse> inUse = new ArrayList<>();
        store.list(Kind.IMAGE, null).items().forEach(i -> inUse.add(new ImageService.InUse(i.path("spec").path("ref").asText(),
                i.path("spec").path("platform").asText(null))));
        store.list(Kind.VM, null).items().forEach(vm -> {
            String image = vm.path("spec").path("image").asText("");
            if (!image.isEmpty()) {
                inUse.add(new ImageService.InUse(image, ImageService.DEFAULT_PLATFORM));
            }
        });
        ImagePruner.Pruned pruned = images.prune(inUse);
        return PruneImagesReply.newBuilder().addAllRemoved(pruned.removed()).setFreedBytes(pruned.freedBytes()).build();
    }
}
