package dev.hypr.controller.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.ref.ImageReference;
import dev.hypr.controller.image.ref.Platform;
import dev.hypr.controller.image.registry.Descriptor;
import dev.hypr.controller.image.registry.RegistryException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PullJobsTest {
    private static final Digest IMAGE = Digest.of("manifest".getBytes());
    private static final List<Descriptor> LAYERS = List.of(new Descriptor(null, Digest.of("layer".getBytes()), 10, null));
    private static final ImageReference TAG = ImageReference.parse("127.0.0.1:5000/test/app:v1");
    private static final ImageReference PINNED = ImageReference.parse("127.0.0.1:5000/test/app@" + IMAGE);

    private static PulledImage image(ImageReference ref) {
        return new PulledImage(ref.toString(), IMAGE, Path.of("/images/x/rootfs.squashfs"), null, 10, List.of());
    }

    @Test
    void aSecondRequestForTheSameReferenceJoinsThePullInFlight() throws Exception {
        AtomicInteger pulls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        PullJobs jobs = new PullJobs((ref, platform, progress) -> {
            pulls.incrementAndGet();
            progress.resolved(IMAGE, LAYERS);
            progress.layer(0, 4);
            assertTrue(release.await(10, TimeUnit.SECONDS));
            progress.update("extracting", 0, 1);
            return image(ref);
        }, d -> false, Clock.systemUTC());
        PullJob first = jobs.startOrJoin(TAG, Platform.DEFAULT);
        PullJob second = jobs.startOrJoin(TAG, Platform.DEFAULT);
        assertSame(first, second);
        List<PullSnapshot> seen = second.awaitChanges(0, 5000);
        assertEquals(IMAGE, seen.get(seen.size() - 1).digest(), "the joiner sees the same progress");
        release.countDown();
        assertSame(first.await(), second.await());
        assertEquals(1, pulls.get());
        assertEquals(PullSnapshot.Phase.DONE, second.snapshot().phase());
        assertEquals(0, jobs.running());
        assertFalse(jobs.startOrJoin(TAG, Platform.DEFAULT) == first, "a later request pulls again (e.g. to re-resolve the tag)");
    }

    @Test
    void referencesResolvingToTheSameDigestBuildItOneAtATime() throws Exception {
        AtomicInteger building = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PullJobs jobs = new PullJobs((ref, platform, progress) -> {
            progress.resolved(IMAGE, LAYERS); // the second pull waits here until the first is done
            mostAtOnce.accumulateAndGet(building.incrementAndGet(), Math::max);
            firstInside.countDown();
            if (ref.equals(TAG)) {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            }
            building.decrementAndGet();
            return image(ref);
        }, d -> false, Clock.systemUTC());
        PullJob tag = jobs.startOrJoin(TAG, Platform.DEFAULT);
        assertTrue(firstInside.await(10, TimeUnit.SECONDS));
        PullJob pinned = jobs.startOrJoin(PINNED, Platform.DEFAULT);
        pinned.awaitChanges(0, 5000); // resolved, now waiting for the digest
        Thread.sleep(200);
        assertFalse(pinned.snapshot().finished(), "the second pull of the digest waits while the first builds it");
        release.countDown();
        tag.await();
        pinned.await();
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void everyFollowerGetsTheSameFailureAndTheNextRequestStartsAfresh() throws Exception {
        AtomicInteger pulls = new AtomicInteger();
        PullJobs jobs = new PullJobs((ref, platform, progress) -> {
            if (pulls.incrementAndGet() == 1) {
                throw new RegistryException(RegistryException.Failure.ManifestUnknown, "manifest unknown");
            }
            return image(ref);
        }, d -> false, Clock.systemUTC());
        PullJob failed = jobs.startOrJoin(TAG, Platform.DEFAULT);
        RegistryException e = assertThrows(RegistryException.class, failed::await);
        assertEquals(RegistryException.Failure.ManifestUnknown, e.failure());
        assertEquals("ManifestUnknown", PullFailure.of(e).reason());
        assertEquals(PullSnapshot.Phase.FAILED, failed.snapshot().phase());
        assertEquals(IMAGE, jobs.startOrJoin(TAG, Platform.DEFAULT).await().digest());
    }
}
