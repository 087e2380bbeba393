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

        t.update("extracting", 2, 3); // the merge reads the top layer first: it is in, the rest wait
        assertEquals(List.of(LayerState.DOWNLOADING, LayerState.EXISTS, LayerState.EXTRACTING), states(t.snapshot()));
        t.layer(2, 5); // late download callbacks never move a layer back
        assertEquals(LayerState.EXTRACTING, t.snapshot().layers().get(2).state());
        t.update("extracting", 1, 3); // a stored layer is merged too
        assertEquals(List.of(LayerState.DOWNLOADING, LayerState.EXTRACTING, LayerState.DONE), states(t.snapshot()));
        t.update("extracting", 0, 3);
        assertEquals(List.of(LayerState.EXTRACTING, LayerState.DONE, LayerState.DONE), states(t.snapshot()));
        assertEquals(160, t.snapshot().bytesDone());
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
    void readersGetEveryStateChangeSinceTheirLastLookThenTheLatestBytes() throws Exception {
        PullTracker t = new PullTracker(d -> false, Clock.systemUTC());
        long v0 = t.snapshot().version();
        assertEquals(List.of(), t.awaitChanges(v0, 20), "nothing new: empty after the timeout");
        Thread writer = new Thread(() -> t.resolved(IMAGE, LAYERS));
        writer.start();
        List<PullSnapshot> first = t.awaitChanges(v0, 5000);
        writer.join();
        assertEquals(Phase.DOWNLOADING, first.get(first.size() - 1).phase());
        long seen = first.get(first.size() - 1).version();

        t.layer(0, 10);  // WAITING -> DOWNLOADING: a state change
        t.layer(0, 20);  // bytes only
        t.layer(0, 100); // -> DOWNLOADED
        t.layer(1, 10);  // -> DOWNLOADING
        t.layer(1, 20);  // bytes only: the latest
        List<PullSnapshot> changes = t.awaitChanges(seen, 1000);
        assertEquals(4, changes.size(), changes.toString());
        assertEquals(LayerState.DOWNLOADING, changes.get(0).layers().get(0).state());
        assertEquals(LayerState.DOWNLOADED, changes.get(1).layers().get(0).state());
        assertEquals(LayerState.DOWNLOADING, changes.get(2).layers().get(1).state());
        assertEquals(20, changes.get(3).layers().get(1).done());

        t.fail();
        List<PullSnapshot> end = t.awaitChanges(changes.get(3).version(), 5000);
        assertEquals(Phase.FAILED, end.get(end.size() - 1).phase());
        assertTrue(end.get(end.size() - 1).finished());
    }
}
