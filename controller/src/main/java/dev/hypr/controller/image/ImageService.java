package dev.hypr.controller.image;

import dev.hypr.api.host.HostProgram;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.InvalidReferenceException;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.Descriptor;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryOptions;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Images for the rest of hyprd (the VM controller, the Image controller): look one up locally
 * or make sure it is there, pulling at most once at a time per reference.
 */
@ApplicationScoped
public class ImageService {
    /** What a VM boots unless an Image object says otherwise: hypr runs x86-64 microVMs. */
    public static final String DEFAULT_PLATFORM = "linux/amd64";
    private static final Pattern FULL_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern DIGEST_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{4,64}");

    @jakarta.inject.Inject
    dev.hypr.controller.config.HyprPaths paths;

    /** Hosts (host or host:port) reached over plain HTTP besides loopback. */
    @ConfigProperty(name = "hypr.registry.insecure")
    Optional<List<String>> insecure;

    @ConfigProperty(name = "hypr.image.max-extracted-bytes", defaultValue = "34359738368")
    long maxExtractedBytes;

    @ConfigProperty(name = "hypr.image.max-entries", defaultValue = "2000000")
    long maxEntries;

    @ConfigProperty(name = "hypr.image.compressor", defaultValue = "zstd")
    String compressor;

    /** zstd level (or the chosen compressor's); absent: {@link SquashfsBuilder#defaultLevel}. */
    @ConfigProperty(name = "hypr.image.compression-level")
    Optional<Integer> compressionLevel;

    @ConfigProperty(name = "hypr.image.download-threads", defaultValue = "4")
    int downloadThreads;

    private ImageStore store;
    private SquashfsBuilder squashfs;
    private ImagePuller puller;
    private ImagePusher pusher;
    private PullJobs jobs;
    private ExecutorService downloads;
    private final Clock clock = Clock.systemUTC();
    /** Pulls share it; prune and delete take it alone, so they never delete the blobs of a pull in flight. */
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    /** Images running builds read (how many pins each): prune keeps them and delete refuses them. */
    private final Map<Digest, Integer> buildPins = new HashMap<>();

    /** An image service outside the daemon (tests, tools): defaults for every setting, images under {@code paths}. */
    public static ImageService standalone(dev.hypr.controller.config.HyprPaths paths) {
        ImageService s = new ImageService();
        s.paths = paths;
        s.insecure = Optional.empty();
        s.maxExtractedBytes = 34359738368L;
        s.maxEntries = 2000000;
        s.compressor = "zstd";
        s.compressionLevel = Optional.empty();
        s.downloadThreads = 2;
        return s;
    }

    void start(@Observes @Priority(1000) StartupEvent ev) {
        init();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (downloads != null) {
            downloads.shutdownNow();
        }
    }

    private synchronized void init() {
        if (store != null) {
            return;
        }
        try {
            store = new ImageStore(paths.images());
            store.blobs().cleanTemp(); // no pull runs yet: whatever is in tmp/ was interrupted
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the image store under " + paths.images(), e);
        }
        downloads = Executors.newFixedThreadPool(downloadThreads, r -> {
            Thread t = new Thread(r, "image-download");
            t.setDaemon(true);
            return t;
        });
        Set<String> hosts = insecure.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet());
        RegistryClient client = new RegistryClient(CredentialStore.standard(paths.home()), RegistryOptions.defaults().withInsecure(hosts));
        squashfs = new SquashfsBuilder(HostProgram.TAR2SQFS.program(), compressor,
                compressionLevel.map(OptionalInt::of).orElseGet(() -> SquashfsBuilder.defaultLevel(compressor)));
        puller = new ImagePuller(client, store, squashfs, downloads, maxExtractedBytes, maxEntries);
        pusher = new ImagePusher(client, store);
        jobs = new PullJobs((ref, platform, progress) -> {
            gcLock.readLock().lockInterruptibly();
            try {
                return puller.pull(ref, platform, progress);
            } finally {
                gcLock.readLock().unlock();
            }
        }, d -> store.blobs().find(d).isPresent(), clock);
    }

    /** The store itself, for the image builder, which lands built images in it as pulls do. */
    public ImageStore store() {
        init();
        return store;
    }

    /** How rootfs images are packed (compressor and level as configured). */
    public SquashfsBuilder squashfs() {
        init();
        return squashfs;
    }

    /** The image as last pulled for the default platform, if its files are all present. */
    public Optional<PulledImage> local(String ref) {
        return local(ref, null);
    }

    public Optional<PulledImage> local(String ref, String platform) {
        init();
        return store.find(ImageReference.parse(ref), Platform.parse(platform));
    }

    public PulledImage ensure(String ref, String platform, PullPolicy policy) throws Exception {
        return ensure(ref, platform, policy, PullProgress.NONE);
    }

    /**
     * Returns the image, pulling it when the policy asks: IfNotPresent pulls only when it is not
     * stored, Always re-resolves the reference every time (the blobs are reused), Never fails
     * with {@link ImageNotPresentException} when it is not stored. A pull of the same reference
     * already in flight is joined, whatever the policy.
     */
    public PulledImage ensure(String ref, String platform, PullPolicy policy, PullProgress progress) throws Exception {
        PullJob job = pull(ref, platform, policy);
        job.listen(progress);
        try {
            return job.await();
        } finally {
            job.unlisten(progress);
        }
    }

    /**
     * Starts (or joins) the pull {@link #ensure} would wait for, and returns it at once: a finished
     * job when the policy is satisfied by what is stored. Throws {@code InvalidReferenceException}
     * for a malformed reference or platform.
     */
    public PullJob pull(String ref, String platform, PullPolicy policy) {
        init();
        ImageReference parsed = ImageReference.parse(ref);
        Platform p = Platform.parse(platform);
        if (policy != PullPolicy.Always) {
            Optional<PulledImage> present = store.find(parsed, p);
            if (present.isPresent()) {
                return PullJob.stored(parsed, p, present.get(), layerDescriptors(present.get()), clock);
            }
            if (policy == PullPolicy.Never) {
                return PullJob.failed(parsed, p, new ImageNotPresentException(ref + " is not in the local store and pullPolicy is Never"), clock);
            }
        }
        return jobs.startOrJoin(parsed, p);
    }

    /** Every stored image with the tags that resolve to it, ordered by digest. */
    public List<StoredImage> list() throws IOException {
        init();
        Map<ImageTag, Digest> tags = store.tags();
        List<StoredImage> out = new ArrayList<>();
        for (Digest d : store.images()) {
            describe(d, tags).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The stored image {@code what} names: a reference (for {@code platform}, or linux/amd64, or the
     * only platform it is stored for), {@code sha256:<hex>}, or a unique prefix of the hex.
     */
    public StoredImage get(String what, String platform) throws IOException, NoSuchImageException {
        init();
        Map<ImageTag, Digest> tags = store.tags();
        Selection sel = select(what, platform, tags);
        Set<Digest> digests = new TreeSet<>(java.util.Comparator.comparing(Digest::hex));
        sel.tags().forEach(t -> digests.add(tags.get(t)));
        digests.addAll(sel.images());
        if (digests.size() > 1) {
            List<ImageTag> forDefault = sel.tags().stream().filter(t -> t.platform().equals(DEFAULT_PLATFORM)).toList();
            if (forDefault.size() != 1) {
                throw new IllegalArgumentException(what + " is stored for several platforms ("
                        + String.join(", ", sel.tags().stream().map(ImageTag::platform).toList()) + "): name one");
            }
            digests.clear();
            digests.add(tags.get(forDefault.get(0)));
        }
        Digest d = digests.iterator().next();
        return describe(d, tags).orElseThrow(() -> new NoSuchImageException(what + " resolves to " + d
                + ", whose files are gone; pull it again"));
    }

    /**
     * Pushes the stored image {@code source} (see {@link #get}; empty: {@code target} itself) to
     * {@code target}; returns the manifest digest. Prune and delete wait while it reads the blobs.
     */
    public Digest push(String source, String target, String platform, dev.hypr.controller.image.registry.PushListener listener)
            throws Exception {
        init();
        ImageReference to = ImageReference.parse(target);
        String p = platform == null || platform.isBlank() ? DEFAULT_PLATFORM : platform;
        StoredImage image = get(source == null || source.isBlank() ? target : source, platform);
        gcLock.readLock().lockInterruptibly();
        try {
            return pusher.push(image.digest(), to, Platform.parse(p), listener);
        } finally {
            gcLock.readLock().unlock();
        }
    }

    /** A reference (normalised) and platform as tag records store them, and the digest it resolves to now. */
    public Optional<Digest> resolved(ImageTag tag) {
        init();
        return store.resolved(ImageReference.parse(tag.ref()), Platform.parse(tag.platform()));
    }

    /**
     * What a delete of {@code what} takes away: the tag records it removes and the images no tag
     * will be left to (which go with their unshared blobs).
     */
    public record Selection(List<ImageTag> tags, Set<Digest> images) {
    }

    /** What one delete did. */
    public record Removal(List<ImageTag> untagged, List<Digest> deleted, long freedBytes) {
    }

    /**
     * Deletes {@code what} (see {@link #get} for the forms; a reference without platform means
     * every platform it is stored for). {@code users} names the objects that still need what
     * would go; when it names any, nothing is deleted. Waits up to 20 s for pulls in flight.
     */
    public Removal delete(String what, String platform, Function<Selection, List<String>> users)
            throws IOException, InterruptedException, NoSuchImageException, ImageInUseException {
        init();
        if (!gcLock.writeLock().tryLock(20, TimeUnit.SECONDS)) {
            throw new ImageInUseException("a pull is in flight; try again once it has finished");
        }
        try {
            Map<ImageTag, Digest> tags = store.tags();
            Selection sel = select(what, platform, tags);
            List<String> using = users.apply(sel);
            if (sel.images().stream().anyMatch(pinned()::contains)) {
                throw new ImageInUseException(what + " is in use by a running build; try again once it has finished");
            }
            if (!using.isEmpty()) {
                throw new ImageInUseException(what + " is in use by " + String.join(", ", using)
                        + "; delete " + (using.size() == 1 ? "it" : "them") + " (or change " + (using.size() == 1 ? "its" : "their")
                        + " image) first");
            }
            for (ImageTag t : sel.tags()) {
                store.removeTag(t);
            }
            Set<Digest> keep = new HashSet<>(store.images());
            keep.removeAll(sel.images());
            store.tags().values().forEach(keep::add);
            ImagePruner.Pruned pruned = new ImagePruner(store, paths.images()).remove(sel.images(), keep);
            return new Removal(sel.tags(), List.copyOf(sel.images()), pruned.freedBytes());
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    /**
     * Keeps prune and delete away from the stored image {@code image} until the result is closed
     * (a build reading it as a base). Throws when the image is gone already.
     */
    public AutoCloseable pin(Digest image) throws InterruptedException, IOException {
        init();
        gcLock.readLock().lockInterruptibly(); // no prune or delete is halfway through
        try {
            if (store.byDigest(image).isEmpty()) {
                throw new IOException("image " + image + " is no longer stored");
            }
            synchronized (buildPins) {
                buildPins.merge(image, 1, Integer::sum);
            }
        } finally {
            gcLock.readLock().unlock();
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (buildPins) {
                    buildPins.computeIfPresent(image, (d, n) -> n == 1 ? null : n - 1);
                }
            }
        };
    }

    private Set<Digest> pinned() {
        synchronized (buildPins) {
            return Set.copyOf(buildPins.keySet());
        }
    }

    /** Every tag record, for prune to keep what references still resolve to. */
    public Map<ImageTag, Digest> tags() throws IOException {
        init();
        return store.tags();
    }

    private Selection select(String what, String platform, Map<ImageTag, Digest> tags) throws IOException, NoSuchImageException {
        String text = what.trim();
        if (FULL_DIGEST.matcher(text).matches()) {
            return byDigest(Digest.parse(text), tags);
        }
        String wantedPlatform = platform == null || platform.isBlank() ? null : Platform.parse(platform).toString();
        InvalidReferenceException invalid = null;
        try {
            String ref = ImageReference.parse(text).toString();
            List<ImageTag> matching = tags.keySet().stream()
                    .filter(t -> t.ref().equals(ref) && (wantedPlatform == null || t.platform().equals(wantedPlatform))).toList();
            if (!matching.isEmpty()) {
                Set<Digest> gone = new HashSet<>();
                for (ImageTag t : matching) {
                    Digest d = tags.get(t);
                    boolean otherTag = tags.entrySet().stream().anyMatch(e -> e.getValue().equals(d) && !matching.contains(e.getKey()));
                    if (!otherTag) {
                        gone.add(d);
                    }
                }
                return new Selection(matching, gone);
            }
        } catch (InvalidReferenceException e) {
            invalid = e;
        }
        if (DIGEST_PREFIX.matcher(text).matches()) {
            String hex = text.startsWith("sha256:") ? text.substring(7) : text;
            List<Digest> candidates = store.images().stream().filter(d -> d.hex().startsWith(hex)).toList();
            if (candidates.size() > 1) {
                throw new IllegalArgumentException("digest prefix " + text + " is ambiguous: it matches " + candidates.size() + " images");
            }
            if (candidates.size() == 1) {
                return byDigest(candidates.get(0), tags);
            }
        }
        if (invalid != null) {
            throw new IllegalArgumentException(invalid.getMessage());
        }
        throw new NoSuchImageException("no image " + text + (wantedPlatform == null ? "" : " for " + wantedPlatform)
                + " in the store");
    }

    private Selection byDigest(Digest d, Map<ImageTag, Digest> tags) throws NoSuchImageException {
        List<ImageTag> pointing = tagsOf(d, tags);
        if (pointing.isEmpty() && store.byDigest(d).isEmpty()) {
            throw new NoSuchImageException("no image " + d + " in the store");
        }
        return new Selection(pointing, Set.of(d));
    }

    private Optional<StoredImage> describe(Digest d, Map<ImageTag, Digest> tags) {
        return store.byDigest(d).map(image -> {
            List<ImageTag> mine = tagsOf(d, tags);
            List<StoredImage.LayerBlob> layers = image.layers().stream().map(l -> new StoredImage.LayerBlob(l, blobSize(l))).toList();
            return new StoredImage(image, mine, layers, fileSize(image.rootfs()), store.builtAt(d));
        });
    }

    /** The tag records that resolve to {@code d}. */
    private static List<ImageTag> tagsOf(Digest d, Map<ImageTag, Digest> tags) {
        return tags.entrySet().stream().filter(e -> e.getValue().equals(d)).map(Map.Entry::getKey).toList();
    }

    private List<Descriptor> layerDescriptors(PulledImage image) {
        return image.layers().stream().map(l -> new Descriptor(null, l, blobSize(l), null)).toList();
    }

    private long blobSize(Digest d) {
        return store.blobs().find(d).map(ImageService::fileSize).orElse(0L);
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A reference some object still wants, with its platform (null = default). */
    public record InUse(String ref, String platform) {
    }

    /**
     * Deletes every stored image and blob that none of {@code inUse} resolves to (references
     * that do not parse keep nothing). Waits for pulls in flight to finish first.
     */
    public ImagePruner.Pruned prune(Collection<InUse> inUse) throws IOException, InterruptedException {
        init();
        Set<Digest> wanted = new HashSet<>();
        for (InUse u : inUse) {
            try {
                store.resolved(ImageReference.parse(u.ref()), Platform.parse(u.platform())).ifPresent(wanted::add);
            } catch (RuntimeException invalid) {
                // an object with a malformed reference never pulled anything
            }
        }
        gcLock.writeLock().lockInterruptibly();
        try {
            wanted.addAll(pinned()); // the base images of running builds
            return new ImagePruner(store, paths.images()).prune(wanted);
        } finally {
            gcLock.writeLock().unlock();
        }
    }

}
