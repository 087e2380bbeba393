package dev.hypr.controller.image;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.util.Threads;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The pulls in flight. At most one per reference and platform: a second request for the same
 * one joins it (same progress, same outcome). Pulls of different references that resolve to the
 * same manifest digest build it one at a time: the second waits once the digest is known and then
 * finds the image stored.
 */
final class PullJobs {
    /** The work of one pull ({@link ImagePuller#pull}, with whatever locks the caller needs). */
    @FunctionalInterface
    interface Puller {
        PulledImage pull(ImageReference ref, Platform platform, PullProgress progress) throws Exception;
    }

    private final Map<String, PullJob> running = new ConcurrentHashMap<>();
    private final Map<Digest, ReentrantLock> building = new ConcurrentHashMap<>();
    private final Puller puller;
    private final Predicate<Digest> blobStored;
    private final Clock clock;

    PullJobs(Puller puller, Predicate<Digest> blobStored, Clock clock) {
        this.puller = puller;
        this.blobStored = blobStored;
        this.clock = clock;
    }

    /** The pull in flight for {@code ref} and {@code platform}, or a new one, started on its own thread. */
    PullJob startOrJoin(ImageReference ref, Platform platform) {
        String key = ref + "|" + platform;
        PullJob[] created = new PullJob[1];
        PullJob job = running.computeIfAbsent(key, k -> created[0] = new PullJob(ref, platform, new PullTracker(blobStored, clock)));
        if (job == created[0]) {
            Threads.start("image-pull " + ref, () -> run(key, job));
        }
        return job;
    }

    /** How many pulls are in flight (for tests and metrics). */
    int running() {
        return running.size();
    }

    private void run(String key, PullJob job) {
        ReentrantLock[] held = new ReentrantLock[1];
        PulledImage image = null;
        Throwable failure = null;
        try {
            image = puller.pull(job.ref(), job.platform(), job.progress(digest -> {
                ReentrantLock lock = building.computeIfAbsent(digest, d -> new ReentrantLock());
                lock.lockInterruptibly();
                held[0] = lock;
            }));
        } catch (Throwable e) {
            failure = e;
        } finally {
            running.remove(key, job);
            if (held[0] != null) {
                held[0].unlock();
            }
        }
        if (failure == null) {
            job.succeed(image);
        } else {
            job.fail(failure);
        }
    }
}
