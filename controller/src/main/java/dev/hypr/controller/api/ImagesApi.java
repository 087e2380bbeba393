package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Kind;
import dev.hypr.api.grpc.DeleteImageReply;
import dev.hypr.api.grpc.ImageInfo;
import dev.hypr.api.grpc.ListImagesReply;
import dev.hypr.api.grpc.LoginReply;
import dev.hypr.api.grpc.PruneImagesReply;
import dev.hypr.api.grpc.PullError;
import dev.hypr.api.grpc.PullImageProgress;
import dev.hypr.api.grpc.PullImageRequest;
import dev.hypr.controller.config.HyprPaths;
import dev.hypr.controller.image.ImagePruner;
import dev.hypr.controller.image.ImageService;
import dev.hypr.controller.image.ImageTag;
import dev.hypr.controller.image.PullFailure;
import dev.hypr.controller.image.PullJob;
import dev.hypr.controller.image.PullPolicy;
import dev.hypr.controller.image.PullSnapshot;
import dev.hypr.controller.image.PulledImage;
import dev.hypr.controller.image.StoredImage;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Credentials;
import dev.hypr.controller.store.ObjectStore;
import dev.hypr.controller.util.Threads;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The image calls of the API that are not object CRUD: pulls into the store, the store's
 * contents, deletes and prune, and registry login/logout.
 */
@ApplicationScoped
public class ImagesApi {
    private static final Logger LOG = Logger.getLogger(ImagesApi.class);
    /** Byte counts are sent at most five times a second per call. */
    static final long MIN_INTERVAL_MS = 200;
    /** An unchanged snapshot is sent again after this long, so clients see a stalled transfer. */
    static final long HEARTBEAT_MS = 2000;

    /** One API call's work. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    @Inject
    HyprPaths paths;

    @Inject
    ObjectStore store;

    @Inject
    ImageService images;

    /**
     * Starts or joins the pull and streams snapshots from a thread of its own until it ends. A
     * client that goes away stops only its stream: the pull finishes for the store (and for
     * anyone else following it). Bad requests fail before the stream starts.
     */
    public void pull(PullImageRequest request, StreamObserver<PullImageProgress> responses) {
        ServerCallStreamObserver<PullImageProgress> out = (ServerCallStreamObserver<PullImageProgress>) responses;
        PullPolicy policy;
        PullJob job;
        try {
            policy = request.getPullPolicy().isBlank() ? PullPolicy.Always : PullPolicy.valueOf(request.getPullPolicy());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("pull_policy \"" + request.getPullPolicy()
                    + "\" must be Always, IfNotPresent or Never").asRuntimeException());
            return;
        }
        try {
            job = images.pull(request.getRef(), request.getPlatform(), policy);
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        out.setOnCancelHandler(() -> { }); // polled below; the pull itself goes on
        Threads.start("pull-stream " + job.ref(), () -> stream(job, out));
    }

    /**
     * Pushes on a thread of its own, sending every blob state change and upload progress at most
     * five times a second per blob, then one last message with the digest or the error. A bad
     * reference fails before the stream starts.
     */
    public void push(dev.hypr.api.grpc.PushImageRequest request, StreamObserver<dev.hypr.api.grpc.PushImageProgress> responses) {
        try {
            dev.hypr.controller.image.ref.ImageReference.parse(request.getRef());
        } catch (IllegalArgumentException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<dev.hypr.api.grpc.PushImageProgress> out =
                (ServerCallStreamObserver<dev.hypr.api.grpc.PushImageProgress>) responses;
        out.setOnCancelHandler(() -> { });
        Threads.start("push " + request.getRef(), () -> {
            Map<Digest, Long> lastSent = new HashMap<>();
            dev.hypr.api.grpc.PushImageProgress last;
            try {
                Digest pushed = images.push(request.getSource(), request.getRef(), request.getPlatform(), (digest, size, state, done) -> {
                    long now = System.currentTimeMillis();
                    if (out.isCancelled() || state.equals("Uploading") && now - lastSent.getOrDefault(digest, 0L) < MIN_INTERVAL_MS) {
                        return;
                    }
                    lastSent.put(digest, now);
                    out.onNext(dev.hypr.api.grpc.PushImageProgress.newBuilder().setBlobDigest(digest.toString())
                            .setSizeBytes(size).setBytesDone(done).setState(state).build());
                });
                last = dev.hypr.api.grpc.PushImageProgress.newBuilder().setDone(true).setDigest(pushed.toString()).build();
            } catch (Exception e) {
                PullFailure f = e instanceof dev.hypr.controller.image.NoSuchImageException
                        ? new PullFailure("NotFound", e.getMessage()) : PullFailure.of(e);
                if (!(e instanceof dev.hypr.controller.image.registry.RegistryException)) {
                    LOG.infof("PushImage %s: %s", request.getRef(), e.toString());
                }
                last = dev.hypr.api.grpc.PushImageProgress.newBuilder().setDone(true)
                        .setError(PullError.newBuilder().setReason(f.reason()).setMessage(f.message())).build();
            }
            if (!out.isCancelled()) {
                out.onNext(last);
                out.onCompleted();
            }
        });
    }

    /**
     * Sends every state change (each layer's and the pull's, so a client sees every layer go
     * through its states even when the pull is quick) and the latest byte counts, at most five
     * times a second; an unchanged snapshot again after 2 s; then one last message with the image
     * or the error.
     */
    private void stream(PullJob job, ServerCallStreamObserver<PullImageProgress> out) {
        try {
            long seen = -1;
            long lastSent = 0;
            PullSnapshot latest = job.snapshot();
            while (!out.isCancelled() && !latest.finished()) {
                List<PullSnapshot> changes = job.awaitChanges(seen, HEARTBEAT_MS);
                long now = System.currentTimeMillis();
                if (changes.isEmpty() && now - lastSent >= HEARTBEAT_MS) {
                    out.onNext(ImageWire.progress(job, latest, now).build());
                    lastSent = now;
                }
                for (PullSnapshot s : changes) {
                    latest = s;
                    seen = s.version();
                    if (s.finished()) {
                        break;
                    }
                    out.onNext(ImageWire.progress(job, s, s.at().toEpochMilli()).build());
                    lastSent = now;
                }
                if (!latest.finished()) {
                    Thread.sleep(MIN_INTERVAL_MS);
                }
            }
            if (out.isCancelled()) {
                return;
            }
            PullImageProgress last;
            try {
                PulledImage image = job.await();
                last = ImageWire.progress(job, job.snapshot(), System.currentTimeMillis()).setImage(info(image.digest())).build();
            } catch (Exception e) {
                PullFailure f = PullFailure.of(e);
                last = ImageWire.progress(job, job.snapshot(), System.currentTimeMillis())
                        .setError(PullError.newBuilder().setReason(f.reason()).setMessage(f.message())).build();
            }
            out.onNext(last);
            out.onCompleted();
        } catch (InterruptedException e) {
            out.onError(Status.UNAVAILABLE.withDescription("hyprd is stopping").asRuntimeException());
        } catch (RuntimeException e) {
            if (!out.isCancelled()) {
                LOG.warnf(e, "PullImage %s", job.ref());
                out.onError(Status.INTERNAL.withDescription("pull progress failed: " + e.getMessage()).asRuntimeException());
            }
        }
    }

    public ListImagesReply list() throws IOException {
        Map<Digest, List<String>> users = usersByDigest();
        ListImagesReply.Builder reply = ListImagesReply.newBuilder();
        images.list().stream().sorted(Comparator.comparing(StoredImage::pulledAt).reversed())
                .forEach(s -> reply.addImages(ImageWire.info(s, users.getOrDefault(s.digest(), List.of()))));
        return reply.build();
    }

    public ImageInfo get(String image, String platform) throws Exception {
        requireImage(image);
        StoredImage s = images.get(image, platform);
        return ImageWire.info(s, usersByDigest().getOrDefault(s.digest(), List.of()));
    }

    private ImageInfo info(Digest digest) throws Exception {
        return get(digest.toString(), null);
    }

    /** Refused (FAILED_PRECONDITION) while a VM or Image object names a removed reference or resolves to a deleted image. */
    public DeleteImageReply delete(String image, String platform) throws Exception {
        requireImage(image);
        ImageService.Removal removal = images.delete(image, platform, this::usersOf);
        DeleteImageReply.Builder reply = DeleteImageReply.newBuilder().setFreedBytes(removal.freedBytes());
        removal.untagged().forEach(t -> reply.addUntagged(t.toString()));
        removal.deleted().forEach(d -> reply.addDeleted(d.toString()));
        return reply.build();
    }

    /**
     * Deletes what nothing refers to. Without {@code all}, every image a reference resolves to is
     * kept (as {@code docker image prune}); with it, only what an Image object (with its platform)
     * or a VM (linux/amd64) uses.
     */
    public PruneImagesReply prune(boolean all) throws Exception {
        List<ImageService.InUse> inUse = new ArrayList<>();
        forEachUser((user, tag) -> inUse.add(new ImageService.InUse(tag.ref(), tag.platform())));
        if (!all) {
            images.tags().keySet().forEach(t -> inUse.add(new ImageService.InUse(t.ref(), t.platform())));
        }
        ImagePruner.Pruned pruned = images.prune(inUse);
        return PruneImagesReply.newBuilder().addAllRemoved(pruned.removed()).setFreedBytes(pruned.freedBytes()).build();
    }

    /** The objects that need what a delete would take away. */
    private List<String> usersOf(ImageService.Selection sel) {
        Set<ImageTag> untagged = new HashSet<>(sel.tags());
        Set<String> users = new LinkedHashSet<>();
        forEachUser((user, tag) -> {
            if (untagged.contains(tag) || images.resolved(tag).filter(sel.images()::contains).isPresent()) {
                users.add(user);
            }
        });
        forEachPulledImage((user, digest) -> {
            if (sel.images().stream().anyMatch(d -> d.toString().equals(digest))) {
                users.add(user);
            }
        });
        return List.copyOf(users);
    }

    private Map<Digest, List<String>> usersByDigest() {
        Map<Digest, Set<String>> users = new HashMap<>();
        forEachUser((user, tag) -> images.resolved(tag).ifPresent(d -> users.computeIfAbsent(d, k -> new LinkedHashSet<>()).add(user)));
        forEachPulledImage((user, digest) -> {
            try {
                users.computeIfAbsent(Digest.parse(digest), k -> new LinkedHashSet<>()).add(user);
            } catch (IllegalArgumentException ignored) {
                // a status written by hand; not ours to judge here
            }
        });
        Map<Digest, List<String>> out = new HashMap<>();
        users.forEach((d, u) -> out.put(d, List.copyOf(u)));
        return out;
    }

    @FunctionalInterface
    private interface UserConsumer {
        void accept(String user, ImageTag tag);
    }

    /** Every Image object (its ref and platform) and every VM with spec.image (linux/amd64), as "kind/name" and a tag. */
    private void forEachUser(UserConsumer consumer) {
        for (JsonNode img : store.list(Kind.IMAGE, null).items()) {
            tagOf(img.path("spec").path("ref").asText(""), img.path("spec").path("platform").asText(null))
                    .ifPresent(t -> consumer.accept("image/" + img.path("metadata").path("name").asText(), t));
        }
        for (JsonNode vm : store.list(Kind.VM, null).items()) {
            tagOf(vm.path("spec").path("image").asText(""), ImageService.DEFAULT_PLATFORM)
                    .ifPresent(t -> consumer.accept("vm/" + vm.path("metadata").path("name").asText(), t));
        }
    }

    /** Every Image object that has pulled, as "image/NAME" and its status.digest as written. */
    private void forEachPulledImage(BiConsumer<String, String> consumer) {
        for (JsonNode img : store.list(Kind.IMAGE, null).items()) {
            String digest = img.path("status").path("digest").asText("");
            if (!digest.isEmpty()) {
                consumer.accept("image/" + img.path("metadata").path("name").asText(), digest);
            }
        }
    }

    private static Optional<ImageTag> tagOf(String ref, String platform) {
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageTag.of(ref, platform));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty(); // a malformed reference never pulled anything
        }
    }

    private static void requireImage(String image) {
        if (image.isBlank()) {
            throw new IllegalArgumentException("an image reference or digest is required");
        }
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
        return paths.registryAuth();
    }

    private static void requireRegistry(String registry) {
        if (!registry.matches("[A-Za-z0-9.-]+(:[0-9]+)?")) {
            throw new IllegalArgumentException("\"" + registry + "\" is not a registry host[:port]");
        }
    }
}
