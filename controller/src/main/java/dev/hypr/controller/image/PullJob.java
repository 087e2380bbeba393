package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.Descriptor;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * One pull of a reference for a platform, which any number of callers follow: its per-layer
 * progress ({@link #awaitChange}) and its outcome ({@link #await}). Finished jobs are also made
 * for images already stored, so a caller need not tell the two apart.
 */
public final class PullJob {
    private final ImageReference ref;
    private final Platform platform;
    private final PullTracker tracker;
    private final CompletableFuture<PulledImage> result = new CompletableFuture<>();
    private final List<PullProgress> listeners = new CopyOnWriteArrayList<>();

    PullJob(ImageReference ref, Platform platform, PullTracker tracker) {
        this.ref = ref;
        this.platform = platform;
        this.tracker = tracker;
    }

    /** A job that is already over: the image was stored (every layer EXISTS, up to date). */
    static PullJob stored(ImageReference ref, Platform platform, PulledImage image, List<Descriptor> layers, Clock clock) {
        PullJob job = new PullJob(ref, platform, new PullTracker(d -> true, clock));
        job.tracker.resolved(image.digest(), layers);
        job.succeed(image);
        return job;
    }

    /** A job that failed before it started (e.g. policy Never and nothing stored). */
    static PullJob failed(ImageReference ref, Platform platform, Exception e, Clock clock) {
        PullJob job = new PullJob(ref, platform, new PullTracker(d -> false, clock));
        job.fail(e);
        return job;
    }

    public ImageReference ref() {
        return ref;
    }

    public Platform platform() {
        return platform;
    }

    public PullSnapshot snapshot() {
        return tracker.snapshot();
    }

    /**
     * Every state change after version {@code seen} (then the latest bytes), waiting up to
     * {@code timeoutMillis} for one; empty when nothing changed.
     */
    public List<PullSnapshot> awaitChanges(long seen, long timeoutMillis) throws InterruptedException {
        return tracker.awaitChanges(seen, timeoutMillis);
    }

    /** The pulled image, or the pull's exception (the same one for every caller). */
    public PulledImage await() throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Aggregate progress ({@link PullProgress#update}) for one more follower, from now on. */
    void listen(PullProgress p) {
        if (p != PullProgress.NONE) {
            listeners.add(p);
        }
    }

    void unlisten(PullProgress p) {
        listeners.remove(p);
    }

    /** What the puller reports to: the tracker first, then every follower. */
    PullProgress progress(DigestGate gate) {
        return new PullProgress() {
            @Override
            public void update(String phase, long done, long total) {
                tracker.update(phase, done, total);
                listeners.forEach(l -> l.update(phase, done, total));
            }

            @Override
            public void layer(int index, long done) {
                tracker.layer(index, done);
                listeners.forEach(l -> l.layer(index, done));
            }

            @Override
            public void resolved(Digest manifest, List<Descriptor> layers) throws InterruptedException {
                tracker.resolved(manifest, layers);
                for (PullProgress l : listeners) {
                    l.resolved(manifest, layers);
                }
                gate.enter(manifest);
            }
        };
    }

    void succeed(PulledImage image) {
        tracker.finish();
        result.complete(image);
    }

    void fail(Throwable e) {
        tracker.fail();
        result.completeExceptionally(e);
    }

    /** Where a pull waits, once its digest is known, while another pull builds the same digest. */
    @FunctionalInterface
    interface DigestGate {
        void enter(Digest manifest) throws InterruptedException;
    }
}
