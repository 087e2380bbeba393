package dev.hypr.controller.image;

import dev.hypr.controller.image.PullSnapshot.Layer;
import dev.hypr.controller.image.PullSnapshot.LayerState;
import dev.hypr.controller.image.PullSnapshot.Phase;
import dev.hypr.controller.image.ref.Digest;
import dev.hypr.controller.image.registry.Descriptor;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns {@link ImagePuller}'s callbacks into per-layer state ({@link PullSnapshot}) and lets
 * readers wait for the next change. The puller reports bytes per layer while downloading, then
 * "extracting i" when the merge starts reading layer i (it reads from the top layer down, so every
 * layer above i is merged) and "squashing" after the bottom one.
 */
final class PullTracker implements PullProgress {
    private final Predicate<Digest> blobStored;
    private final Clock clock;
    private Phase phase = Phase.RESOLVING;
    private Digest digest;
    private Layer[] layers = new Layer[0];
    private boolean built;
    private long version;
    private PullSnapshot snapshot;
    private final ArrayDeque<PullSnapshot> transitions = new ArrayDeque<>();
    static final int KEPT = 512;

    PullTracker(Predicate<Digest> blobStored, Clock clock) {
        this.blobStored = blobStored;
        this.clock = clock;
        this.snapshot = new PullSnapshot(phase, null, List.of(), false, 0, clock.instant());
    }

    synchronized PullSnapshot snapshot() {
        return snapshot;
    }

    /**
     * What changed after version {@code seen}: the snapshot of every state change since (a layer or
     * the pull entering a new state; the last {@value #KEPT} are kept), then the current one if it
     * is newer still (bytes only). Waits up to {@code timeoutMillis} for something new; empty if
     * nothing came.
     */
    synchronized List<PullSnapshot> awaitChanges(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (snapshot.version() <= seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<PullSnapshot> out = new ArrayList<>();
        for (PullSnapshot t : transitions) {
            if (t.version() > seen) {
                out.add(t);
            }
        }
        if (out.isEmpty() || out.get(out.size() - 1).version() != snapshot.version()) {
            out.add(snapshot);
        }
        return out;
    }

    @Override
    public synchronized void resolved(Digest manifest, List<Descriptor> descriptors) {
        digest = manifest;
        layers = descriptors.stream().map(d -> blobStored.test(d.digest())
                ? new Layer(d.digest(), d.size(), d.size(), LayerState.EXISTS)
                : new Layer(d.digest(), d.size(), 0, LayerState.WAITING)).toArray(Layer[]::new);
        phase = Phase.DOWNLOADING;
        changed(true);
    }

    @Override
    public synchronized void layer(int index, long done) {
        if (index < 0 || index >= layers.length) {
            return;
        }
        Layer l = layers[index];
        if (l.state() == LayerState.WAITING || l.state() == LayerState.DOWNLOADING || l.state() == LayerState.DOWNLOADED) {
            LayerState next = l.size() > 0 && done >= l.size() ? LayerState.DOWNLOADED : LayerState.DOWNLOADING;
            layers[index] = new Layer(l.digest(), l.size(), done, next);
            changed(next != l.state());
        }
    }

    @Override
    public synchronized void update(String what, long done, long total) {
        switch (what) {
            case "extracting" -> {
                built = true;
                phase = Phase.EXTRACTING;
                int current = (int) done;
                for (int i = Math.max(current, 0); i < layers.length; i++) {
                    if (layers[i].state() != LayerState.EXISTS || i == current) {
                        settle(i, i > current ? LayerState.DONE : LayerState.EXTRACTING);
                    }
                }
                changed(true);
            }
            case "squashing" -> {
                built = true;
                phase = Phase.SQUASHING;
                for (int i = 0; i < layers.length; i++) {
                    settle(i, LayerState.DONE);
                }
                changed(true);
            }
            default -> {
                // "downloading": the per-layer calls already said it
            }
        }
    }

    /** The pull succeeded; layers never downloaded nor applied were stored already. */
    synchronized void finish() {
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].state() != LayerState.DONE) {
                settle(i, LayerState.EXISTS);
            }
        }
        phase = Phase.DONE;
        changed(true);
    }

    synchronized void fail() {
        phase = Phase.FAILED;
        changed(true);
    }

    private void settle(int i, LayerState state) {
        Layer l = layers[i];
        layers[i] = new Layer(l.digest(), l.size(), l.size(), state);
    }

    /** transition: some layer or the pull entered a new state (not just more bytes). */
    private void changed(boolean transition) {
        version++;
        snapshot = new PullSnapshot(phase, digest, Arrays.asList(layers), phase == Phase.DONE && !built, version, clock.instant());
        if (transition) {
            transitions.addLast(snapshot);
            if (transitions.size() > KEPT) {
                transitions.removeFirst();
            }
        }
        notifyAll();
    }
}
