package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.CredentialStore;
import dev.hypr.controller.image.registry.RegistryClient;
import dev.hypr.controller.image.registry.RegistryOptions;
import dev.hypr.controller.image.rootfs.SquashfsBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import dev.hypr.controller.image.ref.Digest;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Images for the rest of hyprd (the VM controller, the Image controller): look one up locally
 * or make sure it is there, pulling at most once at a time per reference.
 */
@ApplicationScoped
public class ImageService {
    /** What a VM boots unless an Image object says otherwise: hypr runs x86-64 microVMs. */
    public static final String DEFAULT_PLATFORM = "linux/amd64";

    @ConfigProperty(name = "hypr.home")
    String home;

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
    private ImagePuller puller;
    private ExecutorService downloads;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Pulls share it; prune takes it alone, so it never deletes the blobs of a pull in flight. */
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();

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
            store = new ImageStore(Path.of(home).resolve("images"));
            store.blobs().cleanTemp(); // no pull runs yet: whatever is in tmp/ was interrupted
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the image store under " + home, e);
        }
        downloads = Executors.newFixedThreadPool(downloadThreads, r -> {
            Thread t = new Thread(r, "image-download");
            t.setDaemon(true);
            return t;
        });
        Set<String> hosts = insecure.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toSet());
        RegistryClient client = new RegistryClient(CredentialStore.standard(Path.of(home)), RegistryOptions.defaults().withInsecure(hosts));
        puller = new ImagePuller(client, store, new SquashfsBuilder("tar2sqfs", compressor,
                compressionLevel.map(OptionalInt::of).orElseGet(() -> SquashfsBuilder.defaultLevel(compressor))), downloads, maxExtractedBytes, maxEntries);
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
     * with {@link ImageNotPresentException} when it is not stored.
     */
    public PulledImage ensure(String ref, String platform, PullPolicy policy, PullProgress progress) throws Exception {
        init();
        ImageReference parsed = ImageReference.parse(ref);
        Platform p = Platform.parse(platform);
        ReentrantLock lock = locks.computeIfAbsent(parsed + "|" + p, k -> new ReentrantLock());
        lock.lockInterruptibly();
        gcLock.readLock().lockInterruptibly();
        try {
            Optional<PulledImage> present = store.find(parsed, p);
            if (policy == PullPolicy.Never) {
                return present.orElseThrow(() -> new ImageNotPresentException(ref + " is not in the local store and pullPolicy is Never"));
            }
            if (present.isPresent() && policy == PullPolicy.IfNotPresent) {
                return present.get();
            }
            return puller.pull(parsed, p, progress);
        } finally {
            gcLock.readLock().unlock();
            lock.unlock();
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
            return new ImagePruner(store, Path.of(home).resolve("images")).prune(wanted);
        } finally {
            gcLock.writeLock().unlock();
        }
    }

}
