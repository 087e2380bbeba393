package dev.hypr.controller.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hypr.controller.image.PullSnapshot.LayerState;
import dev.hypr.controller.image.PullSnapshot.Phase;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.Descriptor;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullTrackerTest {
    private static final Digest IMAGE = Digest.of("manifest".getBytes());
    private static final Digest L0 = Digest.of("lower".getBytes());
    private static final Digest L1 = Digest.of("middle".getBytes());
    private static final Digest L2 = Digest.of("upper".getBytes());
    private static final List<Descriptor> LAYERS = List.of(new Descriptor(null, L0, 100, null),
            new Descriptor(null, L1, 50, null), new Descriptor(null, L2, 10, null));

    private static List<LayerState> states(PullSnapshot s) {
        return s.layers().stream().map(PullSnapshot.Layer::state).toList();
    }

    @Test
    void followsEachLayerFromWaitingThroughDownloadToApplied() {
        PullTracker t = new PullTracker(d -> d.equals(L1), Clock.systemUTC()); // the middle layer is shared with a stored image
        assertEquals(Phase.RESOLVING, t.snapshot().phase());
        t.resolved(IMAGE, LAYERS);
        PullSnapshot s = t.snapshot();
        assertEquals(IMAGE, s.digest());
        assertEquals(List.of(LayerState.WAITING, LayerState.EXISTS, LayerState.WAITING), states(s));
        assertEquals(50, s.bytesDone());
        assertEquals(160, s.bytesTotal());

        t.layer(0, 40);
        t.layer(2, 10);
        s = t.snapshot();
        assertEquals(List.of(LayerState.DOWNLOADING, LayerState.EXISTS, LayerState.DOWNLOADED), states(s));
        assertEquals(100, s.bytesDone());
        t.layer(0, 0); // a transfer cut off restarts from scratch
        assertEquals(0, t.snapshot().layers().get(0).done());

        t.update("extracting", 0, 3); // the puller waited for layer 0: it is in
        assertEquals(List.of(LayerState.EXTRACTING, LayerState.EXISTS, LayerState.DOWNLOADED), states(t.snapshot()));
        assertEquals(160, t.snapshot().bytesDone());
        t.update("extracting", 2, 3);
        assertEquals(List.of(LayerState.DONE, LayerState.DONE, LayerState.EXTRACTING), states(t.snapshot()));
        t.layer(2, 5); // late download callbacks never move a layer back
        assertEquals(LayerState.EXTRACTING, t.snapshot().layers().get(2).state());
        t.update("squashing", 0, 0);
        assertEquals(Phase.SQUASHING, t.snapshot().phase());
        assertEquals(List.of(LayerState.DONE, LayerState.DONE, LayerState.DONE), states(t.snapshot()));
        t.finish();
        assertEquals(Phase.DONE, t.snapshot().phase());
        assertFalse(t.snapshot().upToDate());
    }

    @Test
    void aPullThatFindsTheImageStoredIsUpToDateWithEveryLayerExisting() {
        PullTracker t = new PullTracker(d -> true, Clock.systemUTC());
        t.resolved(IMAGE, LAYERS);
        t.finish();
        assertTrue(t.snapshot().upToDate());
        assertEquals(List.of(LayerState.EXISTS, LayerState.EXISTS, LayerState.EXISTS), states(t.snapshot()));
    }

    @Test
    void readersWaitForTheNextChangeAndNeverPastTheEnd() throws Exception {
        PullTracker t = new PullTracker(d -> false, Clock.systemUTC());
        long v0 = t.snapshot().version();
        assertEquals(v0, t.awaitChange(v0, 20).version(), "no change: the same snapshot after the timeout");
        Thread writer = new Thread(() -> t.resolved(IMAGE, LAYERS));
        writer.start();
        assertTrue(t.awaitChange(v0, 5000).version() > v0);
        writer.join();
        t.fail();
        PullSnapshot end = t.snapshot();
        assertEquals(Phase.FAILED, end.phase());
        assertEquals(end, t.awaitChange(end.version(), 5000), "a finished pull returns at once");
    }
}
