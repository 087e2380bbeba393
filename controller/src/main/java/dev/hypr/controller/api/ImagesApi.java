package dev.hypr.controller.api;

import dev.hypr.api.Kind;
import dev.hypr.api.grpc.LoginReply;
import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import dev.hypr.controller.image.ImagePruner;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.store.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** The image calls of the API that are not object CRUD: prune, and registry login/logout. */
@ApplicationScoped
public class ImagesApi {
    /** One API call's work. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    @ConfigProperty(name = "hypr.home")
    String home;

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

    /**
     * Saved where the registry client looks first ({@link CredentialStore#standard}). The daemon
     * writes it, not the CLI: hyprctl may run as another user than hyprd, and only talks gRPC.
     */
    public LoginReply login(String registry, String username, String password) throws IOException {
        requireRegistry(registry);
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("username and password are required");
        }
        CredentialStore.save(authFile(), registry, new Credentials(username, password));
        return LoginReply.newBuilder().setChanged(true).build();
    }

    public LoginReply logout(String registry) throws IOException {
        requireRegistry(registry);
        return LoginReply.newBuilder().setChanged(CredentialStore.remove(authFile(), registry)).build();
    }

    private Path authFile() {
        return Path.of(home).resolve("auth.json");
    }

    private static void requireRegistry(String registry) {
        if (!registry.matches("[A-Za-z0-9.-]+(:[0-9]+)?")) {
            throw new IllegalArgumentException("\"" + registry + "\" is not a registry host[:port]");
        }
    }
}
